package org.arbor.probe.geometry;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * A linear probe for a categorical target (Alain and Bengio 2016, "Understanding intermediate layers
 * using linear classifier probes"; Hewitt and Liang 2019 on reading probe accuracy against a
 * baseline): multinomial logistic regression on z-scored features, minimising the mean cross-entropy
 * plus (l2 / 2) * |W|^2 (the intercepts are not penalised) by full-batch L-BFGS from W = 0. The loss
 * is strictly convex, so the fit is unique and does not depend on a random start. The heavy products
 * run as float64 NDArray matmuls; everything else is plain Java.
 *
 * @param l2 L2 strength on the weights of the standardised features
 * @param maxIterations L-BFGS iterations at most
 * @param tolerance stop when the largest gradient component is at most this
 */
public record SoftmaxProbe(double l2, int maxIterations, double tolerance) {
  private static final int MEMORY = 10;

  public SoftmaxProbe {
    if (!(l2 >= 0) || maxIterations < 1 || !(tolerance > 0)) {
      throw new IllegalArgumentException("softmax probe: l2 must be >= 0, max_iterations >= 1, tolerance > 0");
    }
  }

  /** A trained probe: the classes seen in training, the standardiser and weights [classes, dim + 1]. */
  public record Fit(int[] classes, Standardizer standardizer, double[] weights, int iterations, boolean converged) {
    /** The predicted label (one of {@link #classes}) of each row. */
    public int[] predict(Features x, int[] rows) {
      int d = standardizer.dim();
      int k = classes.length;
      double[] z = new double[d];
      int[] out = new int[rows.length];
      for (int i = 0; i < rows.length; i++) {
        standardizer.row(x, rows[i], z);
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          int o = c * (d + 1);
          double score = weights[o + d];
          for (int j = 0; j < d; j++) {
            score += weights[o + j] * z[j];
          }
          if (score > bestScore) { // ties go to the lowest class: deterministic
            bestScore = score;
            best = c;
          }
        }
        out[i] = classes[best];
      }
      return out;
    }

    /** Share of rows whose predicted label equals labels[i] (labels aligned with rows). */
    public double accuracy(Features x, int[] rows, int[] labels) {
      int[] p = predict(x, rows);
      int hits = 0;
      for (int i = 0; i < p.length; i++) {
        hits += p[i] == labels[i] ? 1 : 0;
      }
      return (double) hits / p.length;
    }
  }

  /**
   * Trains on the given rows of x; labels[i] is the label of rows[i]. At least two distinct labels
   * are needed (a constant target has nothing to probe).
   */
  public Fit fit(Features x, int[] rows, int[] labels, NDManager manager) {
    if (rows.length != labels.length) {
      throw new IllegalArgumentException("softmax probe: " + rows.length + " rows but " + labels.length + " labels");
    }
    int[] classes = Arrays.stream(labels).distinct().sorted().toArray();
    if (classes.length < 2) {
      throw new IllegalArgumentException("softmax probe: the training labels are constant");
    }
    Standardizer z = Standardizer.fit(x, rows);
    int n = rows.length;
    int d1 = x.dim() + 1;
    int k = classes.length;
    double[] oneHotT = new double[k * n];
    for (int i = 0; i < n; i++) {
      oneHotT[Arrays.binarySearch(classes, labels[i]) * n + i] = 1;
    }
    try (NDManager m = manager.newSubManager()) {
      NDArray design = m.create(z.design(x, rows, true), new Shape(n, d1));
      NDArray designT = design.transpose().duplicate();
      NDArray targetT = m.create(oneHotT, new Shape(k, n));
      Lbfgs.Objective loss = (theta, gradient) -> {
        // Every op's receiver is created in the scratch manager, so its results are freed with it.
        try (NDManager s = m.newSubManager()) {
          NDArray w = s.create(theta, new Shape(k, d1));
          NDArray logp = w.matMul(designT).logSoftmax(0); // [k, n]
          double value = -logp.mul(targetT).sum().getDouble() / n;
          double[] g = logp.exp().sub(targetT).matMul(design).div(n).toDoubleArray(); // [k, d1]
          for (int c = 0; c < k; c++) {
            for (int j = 0; j < d1 - 1; j++) {
              int o = c * d1 + j;
              value += 0.5 * l2 * theta[o] * theta[o];
              g[o] += l2 * theta[o];
            }
          }
          System.arraycopy(g, 0, gradient, 0, g.length);
          return value;
        }
      };
      Lbfgs.Result r = Lbfgs.minimize(loss, new double[k * d1], MEMORY, maxIterations, tolerance);
      return new Fit(classes, z, r.x(), r.iterations(), r.converged());
    }
  }
}
