package org.arbor.probe;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.arbor.model.CausalLm;

/**
 * What a probe runs on: the model, the generating process of the corpus the model was trained on
 * (null for models not trained on an Arbor corpus, such as OLMo), natural-text token windows (for
 * OLMo: Paloma; may be empty), the seed every input is drawn from, a manager for the arrays of
 * the run (probes close their per-batch arrays in sub-managers of it), and the ordinary token ids of
 * the model's tokenizer (null: every embedding row is a token; for OLMo the rows beyond its
 * tokenizer are untrained padding, see {@link org.arbor.olmo.TokenizerIds}).
 */
public record ProbeContext(CausalLm model, ProbeCorpus corpus, List<int[]> textWindows, long seed, NDManager manager,
    java.util.BitSet ordinaryIds) {
  public ProbeContext {
    textWindows = textWindows == null ? List.of() : List.copyOf(textWindows);
  }

  /** Every embedding row a token. */
  public ProbeContext(CausalLm model, ProbeCorpus corpus, List<int[]> textWindows, long seed, NDManager manager) {
    this(model, corpus, textWindows, seed, manager, null);
  }

  public boolean hasCorpus() {
    return corpus != null;
  }
}
