package org.arbor.probe.fv;

import org.arbor.random.Rng;

/**
 * Category successor, from the grammar's clause C S V O read as a cycle: the input is one token of
 * a role drawn uniformly from the four, the answer is the role that follows it (C -> S, S -> V,
 * V -> O, O -> C); a demonstration shows a random member of that role. The answer is a category, so
 * P(answer) is the mass on all its members and no token's frequency in the prompt decides it.
 * Zero-shot, a model of ukp-released has a default that agrees for S (a sentence "S V O") and
 * disagrees for V (a sentence "V S O" continues with S) and for O and C, which never start a
 * sentence.
 */
public final class SuccessorTask implements IclTask {
  public static final String NAME = "successor";

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
    int role = rng.nextInt(4);
    int next = TaskVocabulary.successor(role);
    int x = IclTask.member(v, role, rng);
    int label = IclTask.member(v, next, rng);
    return new Example(new int[] {x}, label, v.members(next));
  }
}
