package org.arbor.grammar;

import org.arbor.config.ConfigNode;

/**
 * The expected number of class slots a nonterminal yields. With M[a][b] the expected count of
 * nonterminal b in one expansion of a, the expectations solve (I - M) x = t; they are finite exactly
 * when the spectral radius of M is below 1, which we test by squaring M until its entries vanish
 * or stop shrinking (a critical or supercritical grammar makes sentences of infinite mean length).
 *
 * <p>The test runs on M scaled by 1 + {@link #MARGIN}: probabilities written as decimals or
 * fractions add up with rounding errors, and a critical grammar (spectral radius exactly 1, as in
 * A -> A A | empty with p = 1/2) whose rounded M falls a few ulps below 1 would otherwise pass with
 * an "expected length" near 1e16. The margin rejects spectral radii within 1e-9 of 1, i.e. mean
 * lengths beyond about a billion slots, which no usable grammar has.
 */
final class ExpectedLength {
  /** Relative margin below 1 that the spectral radius of M must keep. */
  static final double MARGIN = 1e-9;

  private ExpectedLength() {}

  static double slots(GrammarSpec g, ConfigNode root) {
    int k = g.classes.size();
    int m = g.nonterminals.size();
    double[][] mean = new double[m][m];
    double[] terminals = new double[m];
    for (int a = 0; a < m; a++) {
      for (Rule r : g.rules.get(a)) {
        for (int s : r.rhs()) {
          if (s < k) {
            terminals[a] += r.probability();
          } else {
            mean[a][s - k] += r.probability();
          }
        }
      }
    }
    double[][] scaled = new double[m][m];
    for (int a = 0; a < m; a++) {
      for (int b = 0; b < m; b++) {
        scaled[a][b] = mean[a][b] * (1 + MARGIN);
      }
    }
    if (!subcritical(scaled)) {
      throw root.error("rules", "the expected sentence length is infinite (the rules recurse with mean"
          + " branching >= 1); lower the probability of the recursive rules");
    }
    double[] x = solve(mean, terminals);
    return x[g.start - k];
  }

  private static boolean subcritical(double[][] mean) {
    int m = mean.length;
    double[][] p = new double[m][];
    for (int i = 0; i < m; i++) {
      p[i] = mean[i].clone();
    }
    for (int iter = 0; iter < 64; iter++) {
      double max = 0;
      for (double[] row : p) {
        for (double v : row) {
          max = Math.max(max, v);
        }
      }
      if (max < 1e-12) {
        return true;
      }
      if (max > 1e12) {
        return false;
      }
      p = multiply(p, p);
    }
    return false; // still neither vanished nor exploded after M^(2^64): spectral radius 1
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    int m = a.length;
    double[][] c = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int l = 0; l < m; l++) {
        if (a[i][l] != 0) {
          for (int j = 0; j < m; j++) {
            c[i][j] += a[i][l] * b[l][j];
          }
        }
      }
    }
    return c;
  }

  /** Solves (I - M) x = t by Gaussian elimination with partial pivoting. */
  private static double[] solve(double[][] mean, double[] t) {
    int m = t.length;
    double[][] a = new double[m][m + 1];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        a[i][j] = (i == j ? 1 : 0) - mean[i][j];
      }
      a[i][m] = t[i];
    }
    for (int col = 0; col < m; col++) {
      int piv = col;
      for (int r = col + 1; r < m; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
          piv = r;
        }
      }
      double[] tmp = a[col];
      a[col] = a[piv];
      a[piv] = tmp;
      for (int r = 0; r < m; r++) {
        if (r != col && a[r][col] != 0) {
          double f = a[r][col] / a[col][col];
          for (int j = col; j <= m; j++) {
            a[r][j] -= f * a[col][j];
          }
        }
      }
    }
    double[] x = new double[m];
    for (int i = 0; i < m; i++) {
      x[i] = a[i][m] / a[i][i];
    }
    return x;
  }
}
