package org.arbor.probe.hydra;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import org.arbor.model.CausalLm;

/** Array plumbing and hook names shared by the two ablations of the Hydra probe. */
final class HydraArrays {
  private HydraArrays() {}

  /** Token ids [B, T] owned by m, so the forward pass's intermediates land in m. */
  static NDArray tokens(NDManager m, int[][] rows) {
    int t = rows[0].length;
    int[] flat = new int[rows.length * t];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != t) {
        throw new IllegalArgumentException("sequences of one batch must have one length: " + rows[i].length + " vs " + t);
      }
      System.arraycopy(rows[i], 0, flat, i * t, t);
    }
    return m.create(flat, new Shape(rows.length, t));
  }

  /**
   * The unembedding rows of the given tokens, flattened [N * D]. Each distinct row is copied out and
   * its view closed at once: a view of a parameter belongs to the model's manager and would leak.
   */
  static float[] unembeddingRows(CausalLm model, long[] ids) {
    int d = model.hidden();
    float[] out = new float[ids.length * d];
    Map<Long, float[]> seen = new HashMap<>();
    NDArray u = model.unembedding();
    for (int i = 0; i < ids.length; i++) {
      float[] row = seen.computeIfAbsent(ids[i], id -> {
        try (NDArray r = u.get(id)) {
          return r.toFloatArray();
        }
      });
      System.arraycopy(row, 0, out, i * d, d);
    }
    return out;
  }

  /** Moves an op's result (owned by its receiver's manager) into f, and returns it. */
  static NDArray in(NDManager f, NDArray a) {
    a.attach(f);
    return a;
  }

  static String attn(int l) {
    return "blocks." + l + ".attn_out";
  }

  static String mlp(int l) {
    return "blocks." + l + ".mlp_out";
  }

  static String headResult(int l) {
    return "blocks." + l + ".attn.head_result";
  }

  static String residPost(int l) {
    return "blocks." + l + ".resid_post";
  }
}
