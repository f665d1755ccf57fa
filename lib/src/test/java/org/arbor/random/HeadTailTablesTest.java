package org.arbor.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeadTailTablesTest {
  private static final double Q = 0x1.0p-32;

  private static double[] zipf(int n, double e) {
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = Math.exp(-e * Math.log(i + 1));
    }
    return w;
  }

  private static double[] normalise(double[] w) {
    double z = 0;
    for (double x : w) {
      z += x;
    }
    double[] p = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      p[i] = w[i] / z;
    }
    return p;
  }

  /** Realised probabilities are the exact ones rounded to 2^-32, and sum to 1. */
  @Test
  void realisedProbabilitiesAreExactUpToQuantisation() {
    int[] sizes = {1, 2, 3, 7, 8, 9, 15, 16, 17, 100, 999};
    double[] exponents = {0, 0.5, 1, 1.2, 2, 6, 80}; // 80: the tail underflows to weight 0
    for (int bits = 1; bits <= 6; bits++) {
      for (int n : sizes) {
        HeadTailTables t = new HeadTailTables(exponents.length, n, bits);
        for (int k = 0; k < exponents.length; k++) {
          t.set(k, zipf(n, exponents[k]));
        }
        for (int k = 0; k < exponents.length; k++) {
          double[] p = normalise(zipf(n, exponents[k]));
          double sum = 0;
          for (int i = 0; i < n; i++) {
            double r = t.realisedProbability(k, i);
            sum += r;
            String where = "bits " + bits + ", n " + n + ", e " + exponents[k] + ", outcome " + i;
            // Masses are rounded to units of 2^-32 in the head; a tail outcome's mass is the
            // marker's rounded mass times its own share rounded to units of at most 2^-31 of the
            // tail. Double arithmetic adds ~1e-16 relative.
            double bound = (i < t.headOutcomes() ? 1 : 3) * Q * (1 + 1e-9) + 1e-15 * p[i];
            assertEquals(p[i], r, bound, where);
          }
          assertEquals(1.0, sum, 1e-12, "bits " + bits + ", n " + n + ", e " + exponents[k]);
        }
      }
    }
  }

  /** Probabilities that are multiples of 2^-32 (of the tail's mass in the tail) come out exactly. */
  @Test
  void dyadicProbabilitiesAreRealisedExactly() {
    double[] w = {8, 4, 2, 1, 0, 0.5, 0.25, 0.25}; // sums to 16
    for (int bits = 1; bits <= 4; bits++) {
      HeadTailTables t = new HeadTailTables(1, w.length, bits);
      t.set(0, w);
      for (int i = 0; i < w.length; i++) {
        assertEquals(w[i] / 16, t.realisedProbability(0, i), 0.0, "bits " + bits + ", outcome " + i);
      }
    }
  }

  /** Outcome frequencies of many draws match the realised probabilities (5 standard errors). */
  @Test
  void drawsFollowTheRealisedProbabilities() {
    int n = 40;
    HeadTailTables t = new HeadTailTables(3, n, 3); // heads of 8 columns: outcomes 0..6 + tail
    t.set(0, zipf(n, 1.2));
    t.set(1, zipf(n, 0.0));
    double[] w = zipf(n, 2.0);
    w[3] = 0; // an outcome with no mass, in the head
    w[20] = 0; // and one in the tail
    t.set(2, w);
    Rng rng = new Rng(7, 1, 0);
    int draws = 400_000;
    for (int k = 0; k < 3; k++) {
      long[] counts = new long[n];
      for (int d = 0; d < draws; d++) {
        counts[t.sample(k, (int) rng.nextLong(), rng)]++;
      }
      for (int i = 0; i < n; i++) {
        double p = t.realisedProbability(k, i);
        double sd = Math.sqrt(draws * p * (1 - p));
        assertEquals(draws * p, counts[i], 5 * sd + 1e-9, "table " + k + " outcome " + i);
      }
      if (k == 2) {
        assertEquals(0, counts[3]);
        assertEquals(0, counts[20]);
      }
    }
  }

  /** With all of a distribution in the head, draws need no randomness beyond the 32 bits given. */
  @Test
  void headOnlyTablesNeverTouchTheRng() {
    HeadTailTables t = HeadTailTables.single(new double[] {5, 1, 1, 0.5, 0.25, 0.125, 3, 0.0625});
    assertEquals(8, t.headOutcomes());
    Rng source = new Rng(3, 4, 5);
    Rng untouched = new Rng(9, 9, 9);
    long before = new Rng(9, 9, 9).nextLong();
    for (int d = 0; d < 100_000; d++) {
      int o = t.sample(0, (int) source.nextLong(), untouched);
      assertTrue(o >= 0 && o < 8);
    }
    assertEquals(before, untouched.nextLong());
  }

  @Test
  void rejectsBadWeights() {
    HeadTailTables t = new HeadTailTables(1, 3, 2);
    assertThrows(IllegalArgumentException.class, () -> t.set(0, new double[] {0, 0, 0}));
    assertThrows(IllegalArgumentException.class, () -> t.set(0, new double[] {1, -1, 0}));
    assertThrows(IllegalArgumentException.class, () -> t.set(0, new double[] {1, Double.NaN, 0}));
    assertThrows(IllegalArgumentException.class, () -> t.set(0, new double[] {1, 2}));
    assertThrows(IndexOutOfBoundsException.class, () -> t.set(1, new double[] {1, 2, 3}));
  }
}
