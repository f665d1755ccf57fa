package org.arbor.probe.fv;

import org.arbor.random.Rng;

/**
 * An in-context task in the sense of Todd et al. (2024): a rule that maps an input to an answer,
 * shown by demonstrations (input, label) and applied to a query. Tasks draw examples from a
 * {@link TaskVocabulary}; a task whose meaning comes from the grammar says so and is skipped on
 * models without one.
 */
public interface IclTask {
  /** Name in settings and in result keys ({@code fv_gain:task=NAME}). */
  String name();

  /** Whether the task only makes sense on a grammar's classes (not on a plain id range). */
  boolean needsGrammar();

  /** A fresh example; every draw comes from {@code rng}. */
  Example draw(TaskVocabulary vocabulary, Rng rng);

  /** A task by its settings name. */
  static IclTask named(String name, int recallItems) {
    switch (name) {
      case PaperTask.NAME:
        return new PaperTask();
      case RecallTask.NAME:
        return new RecallTask(recallItems);
      case SuccessorTask.NAME:
        return new SuccessorTask();
      default:
        throw new IllegalArgumentException("unknown task '" + name + "' (known: " + PaperTask.NAME + ", "
            + RecallTask.NAME + ", " + SuccessorTask.NAME + ")");
    }
  }

  /** A uniformly drawn member of a role. */
  static int member(TaskVocabulary v, int role, Rng rng) {
    int[] ids = v.members(role);
    return ids[rng.nextInt(ids.length)];
  }
}
