package org.arbor.sweep;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One task of a sweep: one checkpoint and one group of probes. {@code corpus} and {@code metrics}
 * are null for models not trained by Arbor; {@code options} carries a run source's extra inputs
 * (e.g. the Paloma root of OLMo revisions).
 *
 * @param id the cell's file name stem in the results table (a hash of what determines its rows)
 */
public record SweepCell(String id, String run, String modelKind, String checkpoint, long step, long tokensSeen,
    String corpus, String metrics, List<String> probes, Map<String, Object> options) implements Serializable {
  /** The built-in group that copies the training curves into the results table without loading a model. */
  public static final String LOSS = "loss";

  public boolean isLoss() {
    return probes.equals(List.of(LOSS));
  }

  public String fileName() {
    return "cell-" + id + ".parquet";
  }
}
