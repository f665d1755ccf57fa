package org.arbor.probe.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.stream.IntStream;
import org.arbor.random.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The probe trainers against known answers: exact linear rules, independent labels, closed forms. */
class LinearProbesTest {
  static NDManager manager;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  private static Features gaussian(long seed, int rows, int dim) {
    Rng rng = new Rng(seed, 1, 0);
    float[] v = new float[rows * dim];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (3 * rng.nextGaussian() + 1); // not standardised: the probe must do that itself
    }
    return new Features(v, dim);
  }

  private static int[] range(int from, int to) {
    return IntStream.range(from, to).toArray();
  }

  @Test
  void lbfgsFindsTheMinimumOfAQuadratic() {
    // f(x) = x^T A x / 2 - b^T x with A = [[4, 1], [1, 3]], b = [1, 2]: x* = A^-1 b = [1/11, 7/11].
    Lbfgs.Result r = Lbfgs.minimize((x, g) -> {
      g[0] = 4 * x[0] + x[1] - 1;
      g[1] = x[0] + 3 * x[1] - 2;
      return 0.5 * (4 * x[0] * x[0] + 2 * x[0] * x[1] + 3 * x[1] * x[1]) - x[0] - 2 * x[1];
    }, new double[] {5, -5}, 5, 100, 1e-8);
    assertTrue(r.converged());
    assertEquals(1.0 / 11, r.x()[0], 1e-8);
    assertEquals(7.0 / 11, r.x()[1], 1e-8);
    assertEquals(-15.0 / 22, r.value(), 1e-12); // f(x*) = -b^T x* / 2
  }

  @Test
  void aLinearRuleIsReadOutPerfectly() {
    // Labels = argmax of three fixed linear scores of 6 features, kept only where the best score
    // leads by a margin: the classes are linearly separable, so train and test accuracy are 1.
    int dim = 6;
    double[][] a = {{1, -2, 0, 0.5, 0, 0}, {-1, 0, 2, 0, 0, 0.3}, {0, 1, -1, 0, 1, 0}};
    Features all = gaussian(7, 4000, dim);
    int[] labels = new int[all.rows()];
    java.util.List<Integer> kept = new java.util.ArrayList<>();
    for (int r = 0; r < all.rows(); r++) {
      double[] s = new double[3];
      for (int c = 0; c < 3; c++) {
        for (int j = 0; j < dim; j++) {
          s[c] += a[c][j] * all.values()[r * dim + j];
        }
      }
      int best = s[0] >= s[1] && s[0] >= s[2] ? 0 : s[1] >= s[2] ? 1 : 2;
      double second = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < 3; c++) {
        if (c != best) {
          second = Math.max(second, s[c]);
        }
      }
      labels[r] = best + 10; // arbitrary label values: the probe maps them to classes itself
      if (s[best] - second > 1) {
        kept.add(r);
      }
    }
    int[] rows = kept.stream().mapToInt(Integer::intValue).toArray();
    int split = rows.length * 3 / 4;
    int[] train = java.util.Arrays.copyOfRange(rows, 0, split);
    int[] test = java.util.Arrays.copyOfRange(rows, split, rows.length);
    SoftmaxProbe probe = new SoftmaxProbe(1e-4, 500, 1e-6);
    SoftmaxProbe.Fit fit = probe.fit(all, train, pick(labels, train), manager);
    assertArrayEquals(new int[] {10, 11, 12}, fit.classes());
    assertEquals(1.0, fit.accuracy(all, train, pick(labels, train)));
    assertEquals(1.0, fit.accuracy(all, test, pick(labels, test)));
  }

  @Test
  void independentLabelsGiveChanceAccuracy() {
    // Labels uniform on 4 classes and independent of the features: any classifier's expected test
    // accuracy is exactly 1/4; allow 4 standard errors of a binomial share over the test rows.
    int rows = 6000;
    Features x = gaussian(11, rows, 16);
    Rng rng = new Rng(12, 2, 0);
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = rng.nextInt(4);
    }
    int[] train = range(0, 2000);
    int[] test = range(2000, rows);
    double accuracy = new SoftmaxProbe(1e-3, 300, 1e-5).fit(x, train, pick(labels, train), manager)
        .accuracy(x, test, pick(labels, test));
    double tolerance = 4 * Math.sqrt(0.25 * 0.75 / test.length);
    assertEquals(0.25, accuracy, tolerance);
  }

  @Test
  void softmaxFitIsDeterministicAndRejectsConstantLabels() {
    Features x = gaussian(3, 500, 5);
    int[] rows = range(0, 500);
    int[] labels = IntStream.range(0, 500).map(i -> (x.values()[i * 5] > 1 ? 1 : 0) + (i % 7 == 0 ? 2 : 0)).toArray();
    SoftmaxProbe probe = new SoftmaxProbe(1e-2, 200, 1e-6);
    assertArrayEquals(probe.fit(x, rows, labels, manager).weights(), probe.fit(x, rows, labels, manager).weights());
    assertThrows(IllegalArgumentException.class, () -> probe.fit(x, rows, new int[500], manager));
  }

  @Test
  void ridgeRecoversAnExactLinearTarget() {
    // y = 2 + 0.5 x0 - 3 x2 + x4: held-out R^2 is 1 and the weights, mapped back from z-scores, are the rule's.
    int dim = 5;
    Features x = gaussian(21, 1200, dim);
    double[] y = new double[x.rows()];
    for (int r = 0; r < x.rows(); r++) {
      float[] v = x.values();
      y[r] = 2 + 0.5 * v[r * dim] - 3 * v[r * dim + 2] + v[r * dim + 4];
    }
    int[] train = range(0, 800);
    int[] test = range(800, 1200);
    RidgeProbe.Fit fit = new RidgeProbe(1e-9).fit(x, train, pick(y, train), manager);
    assertEquals(1.0, fit.r2(x, test, pick(y, test)), 1e-9);
    double[] expected = {0.5, 0, -3, 0, 1};
    for (int j = 0; j < dim; j++) {
      assertEquals(expected[j], fit.weights()[j] * fit.standardizer().inverseStd()[j], 1e-6, "weight " + j);
    }
  }

  @Test
  void ridgeShrinksByTheClosedForm() {
    // One standardised feature z (mean 0, variance 1): w = mean(z y) / (1 + l2), intercept mean(y).
    float[] v = {1, 2, 3, 4};
    double[] y = {1, 0, 4, 3};
    double l2 = 0.5;
    RidgeProbe.Fit fit = new RidgeProbe(l2).fit(new Features(v, 1), range(0, 4), y, manager);
    double sd = Math.sqrt(1.25); // population standard deviation of 1..4
    double zy = 0;
    for (int i = 0; i < 4; i++) {
      zy += (v[i] - 2.5) / sd * y[i];
    }
    assertEquals(zy / 4 / (1 + l2), fit.weights()[0], 1e-12);
    assertEquals(2.0, fit.intercept(), 1e-12);
  }

  @Test
  void rSquaredByHand() {
    // y = 1, 2, 3 (SS_tot = 2); predictions 1, 2, 4 (SS_res = 1): R^2 = 1/2. The mean as prediction: 0.
    assertEquals(0.5, RidgeProbe.r2(new double[] {1, 2, 4}, new double[] {1, 2, 3}), 1e-15);
    assertEquals(0.0, RidgeProbe.r2(new double[] {2, 2, 2}, new double[] {1, 2, 3}), 1e-15);
    assertTrue(Double.isNaN(RidgeProbe.r2(new double[] {1, 1}, new double[] {1, 1})));
  }

  @Test
  void ridgeOnAnIndependentTargetScoresNearZero() {
    // Under independence the held-out R^2 is about -dim / n_train (estimation noise) +- its sampling error.
    Features x = gaussian(31, 4000, 8);
    Rng rng = new Rng(32, 2, 0);
    double[] y = new double[4000];
    for (int i = 0; i < y.length; i++) {
      y[i] = rng.nextGaussian();
    }
    int[] train = range(0, 2000);
    int[] test = range(2000, 4000);
    double r2 = new RidgeProbe(1e-3).fit(x, train, pick(y, train), manager).r2(x, test, pick(y, test));
    assertTrue(r2 < 0.02 && r2 > -0.05, "R^2 " + r2);
  }

  static int[] pick(int[] a, int[] rows) {
    return IntStream.of(rows).map(r -> a[r]).toArray();
  }

  static double[] pick(double[] a, int[] rows) {
    return IntStream.of(rows).mapToDouble(r -> a[r]).toArray();
  }
}
