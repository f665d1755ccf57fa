package org.arbor.probe.fv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.function.Consumer;
import org.arbor.model.CausalLm;
import org.arbor.model.Hooks;

/**
 * One forward pass over a batch of equally long prompts, read at the last position: P(answer) (the
 * softmax mass on the prompt's set of correct tokens) and whether the top-1 token is correct.
 */
final class Readout {
  /** Per prompt of the batch: P(answer) and top-1 correctness. */
  record Scores(double[] probability, boolean[] correct) {}

  private Readout() {}

  /**
   * Runs the batch under {@code hooks}; {@code afterwards} (may be null) sees the hooks before the
   * pass's arrays are freed, to copy out what it read.
   */
  static Scores run(CausalLm model, NDManager parent, List<Prompt> batch, Hooks hooks, Consumer<Hooks> afterwards) {
    int b = batch.size();
    int t = batch.get(0).length();
    int[] flat = new int[b * t];
    for (int i = 0; i < b; i++) {
      if (batch.get(i).length() != t) {
        throw new IllegalArgumentException("prompts of one batch must have one length");
      }
      System.arraycopy(batch.get(i).tokens(), 0, flat, i * t, t);
    }
    try (NDManager m = parent.newSubManager()) {
      NDArray logits = model.forward(m.create(flat, new Shape(b, t)), hooks);
      if (afterwards != null) {
        afterwards.accept(hooks);
      }
      int v = (int) logits.getShape().get(2);
      float[] p = logits.get(new NDIndex(":, -1, :")).softmax(-1).toFloatArray();
      double[] probability = new double[b];
      boolean[] correct = new boolean[b];
      for (int i = 0; i < b; i++) {
        int best = 0;
        for (int k = 1; k < v; k++) {
          if (p[i * v + k] > p[i * v + best]) {
            best = k;
          }
        }
        int[] answer = batch.get(i).answer();
        double mass = 0;
        for (int a : answer) {
          mass += p[i * v + a];
        }
        probability[i] = mass;
        correct[i] = java.util.Arrays.binarySearch(answer, best) >= 0;
      }
      return new Scores(probability, correct);
    }
  }

  /** The value a hook read at the last position, [B, ...] flattened (copied out of the pass). */
  static float[] lastPosition(Hooks hooks, String point) {
    NDArray v = hooks.get(point);
    if (v == null) {
      throw new IllegalStateException("hook point " + point + " was not reached");
    }
    return v.get(new NDIndex(":, -1")).toFloatArray();
  }
}
