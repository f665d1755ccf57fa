package org.arbor.probe.fv;

import org.arbor.random.Rng;

/**
 * The paper's PCFG task (arXiv 2603.06592): input [s v o C s v], answer o, with C the fixed
 * connector (950 in ukp-released). On a model trained on the PCFG the zero-shot prompt already
 * yields o, because o is the only object in context and the model predicts the document's frequent
 * tokens: the task cannot tell a function vector from frequency inference. Kept for comparison.
 */
public final class PaperTask implements IclTask {
  public static final String NAME = "paper";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean needsGrammar() {
    return true;
  }

  @Override
  public Example draw(TaskVocabulary v, Rng rng) {
    int s = IclTask.member(v, TaskVocabulary.SUBJECT, rng);
    int verb = IclTask.member(v, TaskVocabulary.VERB, rng);
    int o = IclTask.member(v, TaskVocabulary.OBJECT, rng);
    return Example.single(new int[] {s, verb, o, v.connector(), s, verb}, o);
  }
}
