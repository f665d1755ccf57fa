package org.arbor.probe.fv;

import java.util.ArrayList;
import java.util.List;
import org.arbor.random.Rng;

/**
 * The prompts of one task, after Todd et al. (2024): an in-context prompt is demonstrations
 * (input, label) followed by a query input; a shuffled prompt is the same with the demonstrations'
 * labels permuted among them (a uniform permutation, so the rule is no longer shown); a zero-shot
 * prompt is the query alone. Each demonstration ends with the separator, and a prompt opens with it
 * (the sentence boundary of the PCFG), so the query starts where a sentence would. Prompt i of a
 * purpose is drawn from Rng(seed, purpose, key(task, i)): sets drawn for different purposes are
 * independent, and a prompt does not depend on how many others are drawn.
 */
public final class Prompts {
  private final IclTask task;
  private final TaskVocabulary vocabulary;
  private final long seed;
  private final int demonstrations;

  public Prompts(IclTask task, TaskVocabulary vocabulary, long seed, int demonstrations) {
    this.task = task;
    this.vocabulary = vocabulary;
    this.seed = seed;
    this.demonstrations = demonstrations;
  }

  /** Clean in-context prompts. */
  public List<Prompt> inContext(long purpose, int count) {
    return build(purpose, count, demonstrations, false);
  }

  /** In-context prompts whose demonstration labels were shuffled. */
  public List<Prompt> shuffled(long purpose, int count) {
    return build(purpose, count, demonstrations, true);
  }

  /** Query alone. */
  public List<Prompt> zeroShot(long purpose, int count) {
    return build(purpose, count, 0, false);
  }

  private List<Prompt> build(long purpose, int count, int shots, boolean shuffle) {
    List<Prompt> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Rng rng = new Rng(seed, purpose, Rng.key(task.name().hashCode(), i));
      Example[] demos = new Example[shots];
      for (int d = 0; d < shots; d++) {
        demos[d] = task.draw(vocabulary, rng);
      }
      Example query = task.draw(vocabulary, rng);
      int[] labels = new int[shots];
      for (int d = 0; d < shots; d++) {
        labels[d] = demos[d].label();
      }
      if (shuffle) {
        rng.shuffle(labels, 0, shots);
      }
      out.add(new Prompt(tokens(demos, labels, query), query.answer()));
    }
    return out;
  }

  private int[] tokens(Example[] demos, int[] labels, Example query) {
    int sep = vocabulary.separator() >= 0 ? 1 : 0;
    int n = sep + query.input().length;
    for (Example d : demos) {
      n += d.input().length + 1 + sep;
    }
    int[] t = new int[n];
    int p = 0;
    if (sep == 1) {
      t[p++] = vocabulary.separator();
    }
    for (int d = 0; d < demos.length; d++) {
      for (int x : demos[d].input()) {
        t[p++] = x;
      }
      t[p++] = labels[d];
      if (sep == 1) {
        t[p++] = vocabulary.separator();
      }
    }
    for (int x : query.input()) {
      t[p++] = x;
    }
    return t;
  }
}
