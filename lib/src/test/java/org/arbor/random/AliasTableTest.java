package org.arbor.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AliasTableTest {
  @Test
  void frequenciesMatchWeights() {
    double[] w = {5, 0, 1, 3.5, 0.25, 10, 2};
    double total = 21.75;
    AliasTable table = new AliasTable(w);
    Rng rng = new Rng(1, 1, 1);
    int n = 400_000;
    long[] counts = new long[w.length];
    for (int i = 0; i < n; i++) {
      counts[table.sample(rng)]++;
    }
    for (int i = 0; i < w.length; i++) {
      assertEquals(w[i] / total, table.probability(i), 1e-15);
      StatAssert.binomial("outcome " + i, counts[i], n, w[i] / total);
    }
    assertEquals(0, counts[1], "a zero weight is never drawn");
  }

  @Test
  void zipfTableFollowsZipf() {
    int size = 300;
    AliasTable table = new AliasTable(Zipf.weights(size, 1.0));
    double[] lp = Zipf.logProbabilities(size, 1.0);
    Rng rng = new Rng(2, 2, 2);
    int n = 300_000;
    long[] counts = new long[size];
    for (int i = 0; i < n; i++) {
      counts[table.sample(rng)]++;
    }
    double[] p = new double[size];
    for (int r = 0; r < size; r++) {
      p[r] = Math.exp(lp[r]);
    }
    StatAssert.chiSquare("Zipf(300, 1) alias table", counts, p);
  }

  @Test
  void singleOutcomeAndUniform() {
    Rng rng = new Rng(3, 3, 3);
    AliasTable one = new AliasTable(new double[] {0.3});
    for (int i = 0; i < 100; i++) {
      assertEquals(0, one.sample(rng));
    }
    double[] w = new double[10];
    java.util.Arrays.fill(w, 2.0);
    AliasTable uniform = new AliasTable(w);
    long[] counts = new long[10];
    for (int i = 0; i < 50_000; i++) {
      counts[uniform.sample(rng)]++;
    }
    double[] p = new double[10];
    java.util.Arrays.fill(p, 0.1);
    StatAssert.chiSquare("uniform alias table", counts, p);
  }

  @Test
  void rejectsBadWeights() {
    assertThrows(IllegalArgumentException.class, () -> new AliasTable(new double[0]));
    assertThrows(IllegalArgumentException.class, () -> new AliasTable(new double[] {1, -1}));
    assertThrows(IllegalArgumentException.class, () -> new AliasTable(new double[] {1, Double.NaN}));
    assertThrows(IllegalArgumentException.class, () -> new AliasTable(new double[] {1, Double.POSITIVE_INFINITY}));
    assertThrows(IllegalArgumentException.class, () -> new AliasTable(new double[] {0, 0}));
  }
}
