package org.arbor.probe.geometry;

/**
 * Z-scores fitted on the training rows only (the test rows must not inform the probe). Residual
 * dimensions differ in scale by orders of magnitude, and one L2 strength only means the same thing
 * for every dimension after this. A dimension constant on the training rows maps to 0.
 */
public record Standardizer(double[] mean, double[] inverseStd) {
  static Standardizer fit(Features x, int[] rows) {
    int d = x.dim();
    double[] mean = new double[d];
    double[] var = new double[d];
    float[] v = x.values();
    for (int r : rows) {
      for (int j = 0; j < d; j++) {
        mean[j] += v[r * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= rows.length;
    }
    for (int r : rows) {
      for (int j = 0; j < d; j++) {
        double c = v[r * d + j] - mean[j];
        var[j] += c * c;
      }
    }
    double[] inv = new double[d];
    for (int j = 0; j < d; j++) {
      double sd = Math.sqrt(var[j] / rows.length);
      inv[j] = sd > 1e-12 * (1 + Math.abs(mean[j])) ? 1 / sd : 0;
    }
    return new Standardizer(mean, inv);
  }

  int dim() {
    return mean.length;
  }

  /** Standardised row r of x into out[0, dim). */
  void row(Features x, int r, double[] out) {
    int d = mean.length;
    float[] v = x.values();
    for (int j = 0; j < d; j++) {
      out[j] = (v[r * d + j] - mean[j]) * inverseStd[j];
    }
  }

  /** The rows standardised, row-major [rows, dim + (intercept ? 1 : 0)], with a constant-1 last column if asked. */
  double[] design(Features x, int[] rows, boolean intercept) {
    int d = mean.length;
    int w = d + (intercept ? 1 : 0);
    double[] out = new double[rows.length * w];
    double[] row = new double[d];
    for (int i = 0; i < rows.length; i++) {
      row(x, rows[i], row);
      System.arraycopy(row, 0, out, i * w, d);
      if (intercept) {
        out[i * w + d] = 1;
      }
    }
    return out;
  }
}
