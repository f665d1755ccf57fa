package org.arbor.probe.geometry;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.arbor.model.CausalLm;
import org.arbor.model.Hooks;

/**
 * The residual stream of token sequences at every read-out point: the embeddings ({@code embed})
 * and the output of each block ({@code blocks.L.resid_post}), one row per token, sequences
 * concatenated in order. Each sequence goes through the model once; sequences are batched with
 * right padding, which causal attention never lets reach the real positions before it.
 */
public final class ResidualStates {
  private ResidualStates() {}

  /** Hook names of the read-out points, embeddings first. */
  public static List<String> points(CausalLm model) {
    List<String> points = new ArrayList<>();
    points.add("embed");
    for (int l = 0; l < model.layers(); l++) {
      points.add("blocks." + l + ".resid_post");
    }
    return points;
  }

  /** Features per point (in {@link #points} order) of all sequences' tokens. */
  public static List<Features> collect(CausalLm model, List<int[]> sequences, int batch, NDManager manager) {
    List<String> points = points(model);
    int d = model.hidden();
    long total = 0;
    for (int[] s : sequences) {
      if (s.length == 0 || s.length > model.maxPositions()) {
        throw new IllegalArgumentException("sequence of " + s.length + " tokens: expected 1.." + model.maxPositions());
      }
      total += s.length;
    }
    if (total * d > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(total + " tokens of " + d + " dimensions do not fit one array; use fewer documents or tokens");
    }
    List<float[]> out = new ArrayList<>();
    for (int p = 0; p < points.size(); p++) {
      out.add(new float[(int) total * d]);
    }
    int row = 0;
    for (int from = 0; from < sequences.size(); from += batch) {
      List<int[]> part = sequences.subList(from, Math.min(sequences.size(), from + batch));
      int t = part.stream().mapToInt(s -> s.length).max().orElseThrow();
      int[] ids = new int[part.size() * t];
      for (int b = 0; b < part.size(); b++) {
        System.arraycopy(part.get(b), 0, ids, b * t, part.get(b).length);
      }
      try (NDManager m = manager.newSubManager()) {
        Hooks hooks = new Hooks();
        points.forEach(hooks::read);
        model.forward(m.create(ids, new Shape(part.size(), t)), hooks);
        for (int p = 0; p < points.size(); p++) {
          NDArray value = hooks.get(points.get(p));
          float[] v = value.toFloatArray(); // [B, T, D]
          int at = row;
          for (int b = 0; b < part.size(); b++) {
            int len = part.get(b).length;
            System.arraycopy(v, b * t * d, out.get(p), at * d, len * d);
            at += len;
          }
        }
      }
      for (int[] s : part) {
        row += s.length;
      }
    }
    List<Features> features = new ArrayList<>();
    for (float[] f : out) {
      features.add(new Features(f, d));
    }
    return features;
  }
}
