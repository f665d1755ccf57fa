package org.arbor.random;

/** The finite Zipf law P(r) = r^-s / H(n, s) over ranks r = 1..n. */
public final class Zipf {
  private Zipf() {}

  /** Unnormalised weights r^-s for r = 1..n (index r-1). */
  public static double[] weights(int n, double s) {
    double[] w = new double[n];
    for (int r = 1; r <= n; r++) {
      w[r - 1] = Math.pow(r, -s);
    }
    return w;
  }

  /** The generalised harmonic number H(n, s) = sum of r^-s. */
  public static double harmonic(int n, double s) {
    double h = 0;
    for (int r = n; r >= 1; r--) { // small terms first for accuracy
      h += Math.pow(r, -s);
    }
    return h;
  }

  /** ln P(r) for r = 1..n (index r-1). */
  public static double[] logProbabilities(int n, double s) {
    double logH = Math.log(harmonic(n, s));
    double[] lp = new double[n];
    for (int r = 1; r <= n; r++) {
      lp[r - 1] = -s * Math.log(r) - logH;
    }
    return lp;
  }

  /** Entropy in nats of Zipf(n, s). */
  public static double entropy(int n, double s) {
    double[] lp = logProbabilities(n, s);
    double h = 0;
    for (double l : lp) {
      h -= Math.exp(l) * l;
    }
    return h;
  }
}
