package org.arbor.probe;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.arbor.model.CausalLm;

/**
 * What a probe runs on: the model, the generating process of the corpus the model was trained on
 * (null for models not trained on an Arbor corpus, such as OLMo), natural-text token windows (for
 * OLMo: Paloma; may be empty), the seed every input is drawn from, and a manager for the arrays of
 * the run (probes close their per-batch arrays in sub-managers of it).
 */
public record ProbeContext(CausalLm model, ProbeCorpus corpus, List<int[]> textWindows, long seed, NDManager manager) {
  public ProbeContext {
    textWindows = textWindows == null ? List.of() : List.copyOf(textWindows);
  }

  public boolean hasCorpus() {
    return corpus != null;
  }
}
