package org.arbor.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RngTest {
  private static long[] draws(Rng rng, int n) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = rng.nextLong();
    }
    return out;
  }

  @Test
  void shuffleStepsDrawTheSamePermutationInPiecesAsAtOnceAndAllSixAreEquallyLikely() {
    int[] whole = java.util.stream.IntStream.range(0, 301).toArray();
    new Rng(3, 4, 5).shuffleSteps(whole, 0, 301);
    int[] pieces = java.util.stream.IntStream.range(0, 301).toArray();
    Rng rng = new Rng(3, 4, 5);
    rng.shuffleSteps(pieces, 0, 32);
    rng.shuffleSteps(pieces, 32, 34);
    rng.shuffleSteps(pieces, 34, 300);
    assertArrayEquals(whole, pieces);
    assertEquals(301 * 300 / 2, java.util.Arrays.stream(whole).sum(), "a permutation");
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> rng.shuffleSteps(pieces, 3, 5));
    // The 6 permutations of 3 elements, each with probability 1/6 (both halves of a draw are used).
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    Rng r = new Rng(8, 8, 8);
    for (int t = 0; t < 12_000; t++) {
      int[] a = {0, 1, 2};
      r.shuffleSteps(a, 0, 3);
      counts.merge(java.util.Arrays.toString(a), 1L, Long::sum);
    }
    assertEquals(6, counts.size());
    double[] uniform = new double[6];
    java.util.Arrays.fill(uniform, 1 / 6.0);
    StatAssert.chiSquare("permutations of 3", counts.values().stream().mapToLong(Long::longValue).toArray(), uniform);
  }

  @Test
  void sameKeySameStream() {
    assertArrayEquals(draws(new Rng(7, 11, 13), 100), draws(new Rng(7, 11, 13), 100));
  }

  @Test
  void streamsWithDifferentKeysDiffer() {
    Set<Long> first = new HashSet<>();
    for (long id = 0; id < 10_000; id++) {
      first.add(new Rng(42, 1, id).nextLong());
    }
    assertEquals(10_000, first.size(), "first outputs of 10000 consecutive ids must all differ");
    assertNotEquals(new Rng(1, 2, 3).nextLong(), new Rng(2, 1, 3).nextLong(), "seed and purpose are not interchangeable");
    assertNotEquals(new Rng(1, 2, 3).nextLong(), new Rng(1, 3, 3).nextLong(), "purpose changes the stream");
    assertNotEquals(new Rng(1, 2, 3).nextLong(), new Rng(2, 2, 3).nextLong(), "seed changes the stream");
  }

  @Test
  void neighbouringIdsAreUncorrelated() {
    // Bitwise agreement of streams id and id + 1 at the same draw: each bit agrees with p = 1/2.
    long agree = 0;
    long bits = 0;
    for (long id = 0; id < 500; id++) {
      long[] a = draws(new Rng(3, 5, id), 8);
      long[] b = draws(new Rng(3, 5, id + 1), 8);
      for (int i = 0; i < a.length; i++) {
        agree += 64 - Long.bitCount(a[i] ^ b[i]);
        bits += 64;
      }
    }
    StatAssert.binomial("agreeing bits of neighbouring streams", agree, bits, 0.5);
  }

  @Test
  void keyCombinesBothIds() {
    Set<Long> keys = new HashSet<>();
    for (long a = 0; a < 200; a++) {
      for (long b = 0; b < 50; b++) {
        keys.add(Rng.key(a, b));
      }
    }
    assertEquals(200 * 50, keys.size(), "(base document, repetition) pairs must give distinct keys");
    assertNotEquals(Rng.key(1, 2), Rng.key(2, 1));
  }

  @Test
  void nextIntIsUniform() {
    Rng rng = new Rng(1, 2, 3);
    int n = 7;
    long[] counts = new long[n];
    for (int i = 0; i < 70_000; i++) {
      int x = rng.nextInt(n);
      assertTrue(x >= 0 && x < n);
      counts[x]++;
    }
    double[] p = new double[n];
    java.util.Arrays.fill(p, 1.0 / n);
    StatAssert.chiSquare("nextInt(7)", counts, p);
  }

  @Test
  void nextDoubleIsUniformOnUnitInterval() {
    Rng rng = new Rng(9, 9, 9);
    double[] xs = new double[100_000];
    long below = 0;
    for (int i = 0; i < xs.length; i++) {
      xs[i] = rng.nextDouble();
      assertTrue(xs[i] >= 0 && xs[i] < 1);
      if (xs[i] < 0.1) {
        below++;
      }
    }
    StatAssert.mean("nextDouble", xs, 0.5);
    StatAssert.binomial("nextDouble < 0.1", below, xs.length, 0.1);
  }

  @Test
  void gaussianHasUnitMomentsAndIsSymmetric() {
    Rng rng = new Rng(4, 4, 4);
    double[] xs = new double[100_000];
    double[] sq = new double[xs.length];
    long aboveOne = 0;
    for (int i = 0; i < xs.length; i++) {
      xs[i] = rng.nextGaussian();
      sq[i] = xs[i] * xs[i];
      if (xs[i] > 1) {
        aboveOne++;
      }
    }
    StatAssert.mean("gaussian mean", xs, 0);
    StatAssert.mean("gaussian second moment", sq, 1);
    StatAssert.binomial("gaussian > 1", aboveOne, xs.length, 0.15865525393145707); // 1 - Phi(1)
  }

  @Test
  void permutationIsUniform() {
    // n = 4: all 24 orders equally likely, and value v lands at position i with probability 1/4.
    Rng rng = new Rng(11, 0, 0);
    int trials = 48_000;
    long[] byOrder = new long[24];
    long[][] at = new long[4][4];
    for (int t = 0; t < trials; t++) {
      int[] p = rng.permutation(4);
      boolean[] seen = new boolean[4];
      for (int i = 0; i < 4; i++) {
        assertTrue(!seen[p[i]], "a permutation repeats no value");
        seen[p[i]] = true;
        at[i][p[i]]++;
      }
      byOrder[lehmer(p)]++;
    }
    double[] uniform = new double[24];
    java.util.Arrays.fill(uniform, 1.0 / 24);
    StatAssert.chiSquare("orders of permutation(4)", byOrder, uniform);
    for (int i = 0; i < 4; i++) {
      for (int v = 0; v < 4; v++) {
        StatAssert.binomial("value " + v + " at position " + i, at[i][v], trials, 0.25);
      }
    }
  }

  /** Rank of a permutation of 0..n-1 among all n! orders. */
  private static int lehmer(int[] p) {
    int code = 0;
    for (int i = 0; i < p.length; i++) {
      int smaller = 0;
      for (int j = i + 1; j < p.length; j++) {
        if (p[j] < p[i]) {
          smaller++;
        }
      }
      code = code * (p.length - i) + smaller;
    }
    return code;
  }

  @Test
  void shuffleTouchesOnlyItsRange() {
    Rng rng = new Rng(5, 6, 7);
    long[] firstOfRange = new long[3];
    for (int t = 0; t < 30_000; t++) {
      int[] a = {10, 11, 12, 13, 14, 15};
      rng.shuffle(a, 2, 5);
      assertEquals(10, a[0]);
      assertEquals(11, a[1]);
      assertEquals(15, a[5]);
      assertEquals(12 + 13 + 14, a[2] + a[3] + a[4]);
      firstOfRange[a[2] - 12]++;
    }
    StatAssert.chiSquare("first element of a shuffled range", firstOfRange, new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0});
  }
}
