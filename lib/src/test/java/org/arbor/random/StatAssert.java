package org.arbor.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Statistical assertions whose tolerances follow from the sample size: a count must lie within
 * {@link #SIGMAS} standard errors of its expectation, a chi-square statistic within that many
 * standard deviations of its degrees of freedom. Tests use fixed seeds, so they are deterministic;
 * the tolerances only say how far a correct sampler could plausibly land from the analytic answer.
 */
public final class StatAssert {
  public static final double SIGMAS = 5;

  private StatAssert() {}

  /** A count of n independent trials with success probability p. */
  public static void binomial(String what, long count, long n, double p) {
    sumOfBernoulli(what, count, n * p, n * p * (1 - p));
  }

  /** A count that is a sum of independent Bernoulli variables with the given mean and variance. */
  public static void sumOfBernoulli(String what, double count, double mean, double variance) {
    if (variance == 0) {
      assertEquals(mean, count, 1e-9, what + ": deterministic count");
      return;
    }
    double se = Math.sqrt(variance);
    assertTrue(Math.abs(count - mean) <= SIGMAS * se,
        String.format("%s: observed %.1f, expected %.3f +- %.0f x %.3f", what, count, mean, SIGMAS, se));
  }

  /** A sample mean against its analytic value, with the standard error the sample itself gives. */
  public static void mean(String what, double[] xs, double expected) {
    double m = 0;
    for (double x : xs) {
      m += x;
    }
    m /= xs.length;
    double v = 0;
    for (double x : xs) {
      v += (x - m) * (x - m);
    }
    v /= xs.length - 1;
    double se = Math.sqrt(v / xs.length);
    assertTrue(Math.abs(m - expected) <= SIGMAS * se,
        String.format("%s: mean %.5f, expected %.5f +- %.0f x %.5f", what, m, expected, SIGMAS, se));
  }

  /**
   * Pearson's chi-square of counts against probabilities; cells must expect at least 5 each. The
   * statistic has mean df and variance 2 df under the null.
   */
  public static void chiSquare(String what, long[] counts, double[] p) {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    double stat = 0;
    double total = 0;
    for (int i = 0; i < counts.length; i++) {
      double e = n * p[i];
      total += p[i];
      assertTrue(e >= 5, what + ": cell " + i + " expects " + e + " < 5 counts; group cells");
      stat += (counts[i] - e) * (counts[i] - e) / e;
    }
    assertEquals(1, total, 1e-9, what + ": cell probabilities must sum to 1");
    int df = counts.length - 1;
    double limit = df + SIGMAS * Math.sqrt(2.0 * df);
    assertTrue(stat <= limit, String.format("%s: chi-square %.1f with %d df exceeds %.1f", what, stat, df, limit));
  }
}
