package org.arbor.probe;

/**
 * One measured value of a probe: a cell of the results table. {@code layer} and {@code head} are -1
 * where the value is not per layer or per head. {@code key} names the measure, optionally with a
 * qualifier after a colon (e.g. {@code prefix_matching}, {@code fv_gain:task=mapping}).
 */
public record ProbeResult(String probe, int layer, int head, String key, double value) {
  public static final int NONE = -1;

  public static ProbeResult of(String probe, String key, double value) {
    return new ProbeResult(probe, NONE, NONE, key, value);
  }

  public static ProbeResult layer(String probe, int layer, String key, double value) {
    return new ProbeResult(probe, layer, NONE, key, value);
  }

  public static ProbeResult head(String probe, int layer, int head, String key, double value) {
    return new ProbeResult(probe, layer, head, key, value);
  }
}
