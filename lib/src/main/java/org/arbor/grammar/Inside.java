package org.arbor.grammar;

import java.util.Arrays;

/**
 * The inside algorithm: P(a sentence's tokens | latents), summed over every derivation that yields
 * them. Tokens shared by several classes (lexicon.intersection) make derivations ambiguous (a
 * sentence of three shared tokens is both V S O and S V O), so the probability of the derivation
 * the sampler happened to draw is not the probability of the tokens.
 *
 * <p>The grammar may have empty rules, unit rules and recursion. Insides are computed span by span
 * in order of length. Within one span a nonterminal's inside depends linearly on the same span's
 * insides through rules whose other symbols all derive the empty string; with U that dependency
 * matrix (the Jacobian of the empty-string system at its solution) the span's insides solve
 * x = c + U x, and (I - U)^-1 is computed once. U is bounded by the mean matrix M, so a grammar that
 * passed {@link ExpectedLength} has spectral radius of U below 1. The probabilities that nonterminals
 * derive the empty string are the least solution of E = f(E), found by Newton's method from 0, which
 * converges monotonically for such polynomial systems.
 */
final class Inside {
  private final int k;
  private final int m;
  private final int start;
  private final int[] ruleOwner;
  private final double[] ruleP;
  private final int[][] ruleRhs;
  /** empty[a] = P(nonterminal a derives the empty string). */
  private final double[] empty;
  /** (I - U)^-1. */
  private final double[][] closure;

  Inside(GrammarSpec g) {
    k = g.classes.size();
    m = g.nonterminals.size();
    start = g.start - k;
    int count = 0;
    for (Rule[] rs : g.rules) {
      count += rs.length;
    }
    ruleOwner = new int[count];
    ruleP = new double[count];
    ruleRhs = new int[count][];
    int r = 0;
    for (int a = 0; a < m; a++) {
      for (Rule rule : g.rules.get(a)) {
        ruleOwner[r] = a;
        ruleP[r] = rule.probability();
        ruleRhs[r] = rule.rhs();
        r++;
      }
    }
    empty = new double[m];
    for (int iter = 0; iter < 200; iter++) {
      double[] f = new double[m];
      double[][] jac = jacobian(empty, f);
      double[][] a = new double[m][m];
      double[] b = new double[m];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < m; j++) {
          a[i][j] = (i == j ? 1 : 0) - jac[i][j];
        }
        b[i] = f[i] - empty[i];
      }
      double[] step = solve(a, b);
      double change = 0;
      for (int i = 0; i < m; i++) {
        double next = Math.min(1, Math.max(0, empty[i] + step[i]));
        change = Math.max(change, Math.abs(next - empty[i]));
        empty[i] = next;
      }
      if (change <= 1e-16) {
        break;
      }
    }
    double[][] u = jacobian(empty, new double[m]);
    closure = new double[m][];
    double[][] iu = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        iu[i][j] = (i == j ? 1 : 0) - u[i][j];
      }
    }
    double[][] columns = new double[m][];
    for (int j = 0; j < m; j++) {
      double[] unit = new double[m];
      unit[j] = 1;
      columns[j] = solve(iu, unit);
    }
    for (int i = 0; i < m; i++) {
      closure[i] = new double[m];
      for (int j = 0; j < m; j++) {
        closure[i][j] = columns[j][i];
      }
    }
  }

  /** Fills f with f(e) and returns the Jacobian of f at e (class symbols never derive empty). */
  private double[][] jacobian(double[] e, double[] f) {
    double[][] jac = new double[m][m];
    for (int r = 0; r < ruleP.length; r++) {
      int[] rhs = ruleRhs[r];
      double all = ruleP[r];
      for (int x : rhs) {
        all *= x < k ? 0 : e[x - k];
      }
      f[ruleOwner[r]] += all;
      for (int pos = 0; pos < rhs.length; pos++) {
        if (rhs[pos] < k) {
          continue;
        }
        double others = ruleP[r];
        for (int l = 0; l < rhs.length && others != 0; l++) {
          if (l != pos) {
            others *= rhs[l] < k ? 0 : e[rhs[l] - k];
          }
        }
        jac[ruleOwner[r]][rhs[pos] - k] += others;
      }
    }
    return jac;
  }

  /** Solves a x = b by Gaussian elimination with partial pivoting (a and b are overwritten). */
  static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    for (int col = 0; col < n; col++) {
      int piv = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
          piv = r;
        }
      }
      double[] row = a[col];
      a[col] = a[piv];
      a[piv] = row;
      double t = b[col];
      b[col] = b[piv];
      b[piv] = t;
      for (int r = col + 1; r < n; r++) {
        double f = a[r][col] / a[col][col];
        if (f != 0) {
          for (int j = col; j < n; j++) {
            a[r][j] -= f * a[col][j];
          }
          b[r] -= f * b[col];
        }
      }
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = b[i];
      for (int j = i + 1; j < n; j++) {
        s -= a[i][j] * x[j];
      }
      x[i] = s / a[i][i];
    }
    return x;
  }

  /** P(the start symbol derives the empty sentence). */
  double emptySentence() {
    return empty[start];
  }

  Chart newChart() {
    return new Chart();
  }

  /** Reusable work space of one thread. */
  final class Chart {
    private int width = -1; // n + 1 of the largest sentence so far
    private double[][] in; // in[a][i * width + j]: inside of nonterminal a over tokens [i, j)
    private double[][] pre; // pre[r][(q * width + i) * width + j]: first q symbols of rule r derive [i, j)
    private final double[] xs = new double[m];
    private final double[] zeros = new double[m];
    private final double[] c = new double[m];
    private double[][] t;

    private void ensure(int n) {
      if (n + 1 <= width) {
        return;
      }
      width = Math.max(n + 1, 2 * width);
      in = new double[m][width * width];
      pre = new double[ruleRhs.length][];
      for (int r = 0; r < ruleRhs.length; r++) {
        pre[r] = new double[(ruleRhs[r].length + 1) * width * width];
      }
    }

    /**
     * ln P(tokens | latents) of a sentence of n tokens, where t[i][c] = P(token i | a slot of class c)
     * (0 where the token is not in class c). Rows of t are rescaled in place to a maximum of 1 (every
     * derivation uses each position once, so the scale factors multiply out), which keeps long
     * sentences clear of underflow.
     */
    double logProbability(double[][] tokenProbabilities, int n) {
      if (n == 0) {
        return Math.log(empty[start]);
      }
      ensure(n);
      t = tokenProbabilities;
      double logScale = 0;
      for (int i = 0; i < n; i++) {
        double max = 0;
        for (int cl = 0; cl < k; cl++) {
          max = Math.max(max, t[i][cl]);
        }
        if (max == 0) {
          return Double.NEGATIVE_INFINITY;
        }
        for (int cl = 0; cl < k; cl++) {
          t[i][cl] /= max;
        }
        logScale += Math.log(max);
      }
      int w = width;
      for (int i = 0; i <= n; i++) {
        for (int a = 0; a < m; a++) {
          in[a][i * w + i] = empty[a];
        }
        for (int r = 0; r < ruleRhs.length; r++) {
          int[] rhs = ruleRhs[r];
          double v = 1;
          pre[r][i * w + i] = 1;
          for (int q = 1; q <= rhs.length; q++) {
            v *= rhs[q - 1] < k ? 0 : empty[rhs[q - 1] - k];
            pre[r][(q * w + i) * w + i] = v;
          }
        }
      }
      for (int len = 1; len <= n; len++) {
        for (int i = 0; i + len <= n; i++) {
          int j = i + len;
          pass(i, j, zeros);
          Arrays.fill(c, 0);
          boolean any = false;
          for (int r = 0; r < ruleRhs.length; r++) {
            double v = pre[r][(ruleRhs[r].length * w + i) * w + j];
            if (v != 0) {
              c[ruleOwner[r]] += ruleP[r] * v;
              any = true;
            }
          }
          if (any) {
            for (int a = 0; a < m; a++) {
              double s = 0;
              for (int b = 0; b < m; b++) {
                s += closure[a][b] * c[b];
              }
              xs[a] = s;
            }
            pass(i, j, xs); // again, now with the span's own insides in place
          } else {
            Arrays.fill(xs, 0);
          }
          for (int a = 0; a < m; a++) {
            in[a][i * w + j] = xs[a];
          }
        }
      }
      return Math.log(in[start][n]) + logScale;
    }

    /** Prefix insides of every rule over [i, j), with same-span nonterminal insides taken from x. */
    private void pass(int i, int j, double[] x) {
      int w = width;
      for (int r = 0; r < ruleRhs.length; r++) {
        int[] rhs = ruleRhs[r];
        double[] p = pre[r];
        for (int q = 1; q <= rhs.length; q++) {
          int sym = rhs[q - 1];
          int row = ((q - 1) * w + i) * w; // p[row + mid]: first q - 1 symbols derive [i, mid)
          double sum = 0;
          double left = p[row + i];
          if (left != 0) {
            sum += left * (sym < k ? (j == i + 1 ? t[i][sym] : 0) : x[sym - k]);
          }
          if (sym < k) {
            double v = p[row + j - 1];
            if (j - 1 > i && v != 0) {
              sum += v * t[j - 1][sym];
            }
          } else {
            double[] inside = in[sym - k];
            for (int mid = i + 1; mid < j; mid++) {
              double v = p[row + mid];
              if (v != 0) {
                sum += v * inside[mid * w + j];
              }
            }
            sum += p[row + j] * empty[sym - k];
          }
          p[(q * w + i) * w + j] = sum;
        }
      }
    }
  }
}
