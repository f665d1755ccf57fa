package org.arbor.results;

/**
 * One row of the results table: a probe's value for one checkpoint (see org.arbor.probe's package
 * doc for the probes' keys). {@code layer} and {@code head} are -1 where not applicable; an error row
 * has key "error", value NaN and the message in {@code error}.
 */
public record ResultRow(String run, String modelKind, String checkpoint, long step, long tokensSeen, String probe,
    int layer, int head, String key, double value, String error) {
  public static final String ERROR_KEY = "error";

  public static ResultRow error(String run, String modelKind, String checkpoint, long step, long tokensSeen,
      String probe, String message) {
    return new ResultRow(run, modelKind, checkpoint, step, tokensSeen, probe, -1, -1, ERROR_KEY, Double.NaN, message);
  }

  public boolean isError() {
    return error != null;
  }
}
