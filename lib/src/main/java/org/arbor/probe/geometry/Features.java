package org.arbor.probe.geometry;

/** Hidden states at one read-out point: one row of {@code dim} floats per token, rows concatenated. */
public record Features(float[] values, int dim) {
  public Features {
    if (dim <= 0 || values.length % dim != 0) {
      throw new IllegalArgumentException("features: " + values.length + " values do not make rows of " + dim);
    }
  }

  public int rows() {
    return values.length / dim;
  }
}
