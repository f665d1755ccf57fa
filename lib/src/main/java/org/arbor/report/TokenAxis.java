package org.arbor.report;

import java.util.Locale;

/** The x axis of every figure: tokens seen, on a log scale when the checkpoints are log-spaced. */
public final class TokenAxis {
  private TokenAxis() {}

  /**
   * Whether checkpoints at these token counts (ascending, distinct) are log-spaced: their gaps vary
   * less in log space than in linear space (coefficient of variation of the differences). Needs three
   * positive counts; with fewer there is no spacing to read, and the axis stays linear.
   */
  public static boolean isLogSpaced(long[] tokens) {
    if (tokens.length < 3 || tokens[0] <= 0) {
      return false;
    }
    double[] lin = new double[tokens.length - 1];
    double[] log = new double[tokens.length - 1];
    for (int i = 1; i < tokens.length; i++) {
      lin[i - 1] = tokens[i] - tokens[i - 1];
      log[i - 1] = Math.log(tokens[i]) - Math.log(tokens[i - 1]);
    }
    return variation(log) < variation(lin);
  }

  private static double variation(double[] d) {
    double mean = 0;
    for (double v : d) {
      mean += v;
    }
    mean /= d.length;
    double var = 0;
    for (double v : d) {
      var += (v - mean) * (v - mean);
    }
    return Math.sqrt(var / d.length) / Math.abs(mean);
  }

  /** A short label: 950, 65.5k, 2M, 1.05B (three significant digits, trailing zeros dropped). */
  public static String label(double tokens) {
    double a = Math.abs(tokens);
    String[] suffix = {"", "k", "M", "B", "T"};
    int i = 0;
    while (a >= 999.5 && i < suffix.length - 1) {
      a /= 1000;
      tokens /= 1000;
      i++;
    }
    String s = i == 0 && tokens == Math.rint(tokens)
        ? String.format(Locale.ROOT, "%d", (long) tokens)
        : String.format(Locale.ROOT, "%.3g", tokens);
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s + suffix[i];
  }
}
