package org.arbor.probe.fv;

import org.arbor.random.Rng;

/**
 * Subject-to-object recall: the input lists n clauses [s_i v_i o_i C] with distinct subjects and
 * distinct objects, then a clause [s_j v'] that repeats the subject of clause j (never the last
 * listed one) with a different verb; the answer is o_j. Every object occurs once in the input, so
 * frequency inference cannot pick the answer, recency points at the wrong one, and the new verb
 * breaks the bigram [s_j v_j], so plain induction (copy what followed the current token) yields v_j,
 * not o_j: the model must apply the rule "the object that went with this subject", which the
 * demonstrations show. With n = 2 (the default) the input [s1 v1 o1 C s2 v2 o2 C s1 v'] is one
 * grammatical ukp-released sentence (a main clause and two subordinate ones). Defined on any id
 * range, so it is the task that runs on models without a grammar.
 */
public final class RecallTask implements IclTask {
  public static final String NAME = "recall";
  private final int items;

  public RecallTask(int items) {
    if (items < 2) {
      throw new IllegalArgumentException("recall needs at least 2 clauses before the query, got " + items);
    }
    this.items = items;
  }

  public int items() {
    return items;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean needsGrammar() {
    return false;
  }

  @Override
  public Example draw(TaskVocabulary v, Rng rng) {
    if (v.members(TaskVocabulary.SUBJECT).length < items || v.members(TaskVocabulary.OBJECT).length < items) {
      throw new IllegalArgumentException(v.source() + ": recall with " + items + " clauses needs " + items
          + " distinct subjects and objects");
    }
    int[] s = distinct(v.members(TaskVocabulary.SUBJECT), items, rng);
    int[] o = distinct(v.members(TaskVocabulary.OBJECT), items, rng);
    int[] input = new int[4 * items + 2];
    int[] verbs = new int[items];
    for (int i = 0; i < items; i++) {
      verbs[i] = IclTask.member(v, TaskVocabulary.VERB, rng);
      input[4 * i] = s[i];
      input[4 * i + 1] = verbs[i];
      input[4 * i + 2] = o[i];
      input[4 * i + 3] = IclTask.member(v, TaskVocabulary.CONNECTOR, rng);
    }
    int j = rng.nextInt(items - 1);
    int verb;
    do {
      verb = IclTask.member(v, TaskVocabulary.VERB, rng);
    } while (verb == verbs[j]);
    input[4 * items] = s[j];
    input[4 * items + 1] = verb;
    return Example.single(input, o[j]);
  }

  /** k distinct members, by rejection (k is far below the class size). */
  private static int[] distinct(int[] ids, int k, Rng rng) {
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      boolean fresh;
      do {
        out[i] = ids[rng.nextInt(ids.length)];
        fresh = true;
        for (int p = 0; p < i; p++) {
          fresh &= out[p] != out[i];
        }
      } while (!fresh);
    }
    return out;
  }
}
