package org.arbor.probe.geometry;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A linear probe for a numeric target: ridge regression on z-scored features in closed form,
 * w = (Z^T Z / n + l2 I)^-1 Z^T (y - mean y) / n, intercept mean y (Hoerl and Kennard 1970). Scored by
 * the coefficient of determination on held-out rows, R^2 = 1 - SS_res / SS_tot with SS_tot about the
 * held-out mean: 1 is a perfect linear read-out, 0 is no better than the held-out mean, and it is
 * negative when the probe is worse than that.
 *
 * @param l2 L2 strength (the same scale as {@link SoftmaxProbe}'s: per standardised feature)
 */
public record RidgeProbe(double l2) {
  public RidgeProbe {
    if (!(l2 > 0)) {
      throw new IllegalArgumentException("ridge probe: l2 must be > 0 (it also makes the system solvable)");
    }
  }

  /** A trained probe: standardiser, weights per standardised feature and the intercept. */
  public record Fit(Standardizer standardizer, double[] weights, double intercept) {
    public double[] predict(Features x, int[] rows) {
      double[] z = new double[weights.length];
      double[] out = new double[rows.length];
      for (int i = 0; i < rows.length; i++) {
        standardizer.row(x, rows[i], z);
        out[i] = intercept + Lbfgs.dot(weights, z);
      }
      return out;
    }

    /** Held-out R^2 of the rows against targets y (aligned with rows). */
    public double r2(Features x, int[] rows, double[] y) {
      return RidgeProbe.r2(predict(x, rows), y);
    }
  }

  /** 1 - sum (y - p)^2 / sum (y - mean y)^2; NaN when y is constant. */
  public static double r2(double[] predicted, double[] y) {
    double mean = 0;
    for (double v : y) {
      mean += v;
    }
    mean /= y.length;
    double res = 0;
    double tot = 0;
    for (int i = 0; i < y.length; i++) {
      res += (y[i] - predicted[i]) * (y[i] - predicted[i]);
      tot += (y[i] - mean) * (y[i] - mean);
    }
    return tot > 0 ? 1 - res / tot : Double.NaN;
  }

  /** Trains on the given rows; y[i] is the target of rows[i]. */
  public Fit fit(Features x, int[] rows, double[] y, NDManager manager) {
    if (rows.length != y.length) {
      throw new IllegalArgumentException("ridge probe: " + rows.length + " rows but " + y.length + " targets");
    }
    Standardizer z = Standardizer.fit(x, rows);
    int n = rows.length;
    int d = x.dim();
    double mean = 0;
    for (double v : y) {
      mean += v;
    }
    mean /= n;
    double[] gram;
    double[] rhs;
    try (NDManager m = manager.newSubManager()) {
      NDArray design = m.create(z.design(x, rows, false), new Shape(n, d));
      NDArray designT = design.transpose();
      double[] centred = new double[n];
      for (int i = 0; i < n; i++) {
        centred[i] = y[i] - mean;
      }
      gram = designT.matMul(design).div(n).toDoubleArray();
      rhs = designT.matMul(m.create(centred, new Shape(n, 1))).div(n).toDoubleArray();
    }
    for (int j = 0; j < d; j++) {
      gram[j * d + j] += l2;
    }
    return new Fit(z, Cholesky.solve(gram, rhs, d), mean);
  }
}
