package org.arbor.probe.hydra;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.arbor.model.LlamaModel;
import org.arbor.model.ModelConfig;

/**
 * Hand-set Llama weights for the Hydra tests. Width 8: dims 0..3 carry the token's identity
 * (embedding e_x = 2 u_x), dims 4..7 a "feature" f(x) = 2 u_{4+x} that attention heads write.
 * Every weight is zero unless set; norm weights are 1. Run on sequences of one repeated token, every
 * position holds the same vector, so an attention head's output is exactly V.O of it whatever its
 * pattern, and the whole model can be followed by hand.
 *
 * <p>The unembedding row of token y is u_y on dims 0..3 and M[y][j] on dims 4 + j.
 */
final class HandBuiltModels {
  static final int VOCAB = 4;
  static final int WIDTH = 8;
  static final double EPS = 1e-6;

  static double m(int y, int j) {
    return 0.3 + 0.4 * y - 0.7 * j + (y == j ? 1.1 : 0);
  }

  private final ModelConfig config;
  private final Map<String, float[]> weights = new LinkedHashMap<>();
  private final Map<String, Shape> shapes;

  HandBuiltModels(int layers) {
    config = new ModelConfig(VOCAB, WIDTH, layers, 2, 4, 16, 10000, EPS, 0.02);
    shapes = LlamaModel.shapes(config);
    for (Map.Entry<String, Shape> e : shapes.entrySet()) {
      float[] v = new float[(int) e.getValue().size()];
      if (e.getKey().endsWith("norm.weight")) {
        java.util.Arrays.fill(v, 1f);
      }
      weights.put(e.getKey(), v);
    }
    for (int x = 0; x < VOCAB; x++) {
      set("model.embed_tokens.weight", x, x, 2);
      for (int j = 0; j < 4; j++) {
        set("lm_head.weight", x, j, x == j ? 1 : 0);
        set("lm_head.weight", x, 4 + j, m(x, j));
      }
    }
  }

  HandBuiltModels set(String name, int row, int col, double value) {
    long cols = shapes.get(name).get(1);
    weights.get(name)[(int) (row * cols + col)] = (float) value;
    return this;
  }

  /**
   * Head 0 of block l writes the feature from the embedding: V copies dims 0..3, O maps them to
   * dims 4..7 scaled by 1/sqrt(2). Block l's input must be a bare embedding 2 u_x (rms 2/sqrt(8)),
   * whose normed form is sqrt(8) u_x, so the output is 2 u_{4+x}. Head 1 stays zero.
   */
  HandBuiltModels writer(int l) {
    for (int j = 0; j < 4; j++) {
      set(attn(l, "v_proj"), j, j, 1);
      set(attn(l, "o_proj"), 4 + j, j, 1 / Math.sqrt(2));
    }
    return this;
  }

  /** Head 0 of block l writes scale times its input's dims 4..7 back onto dims 4..7. */
  HandBuiltModels featureMap(int l, double scale) {
    for (int j = 0; j < 4; j++) {
      set(attn(l, "v_proj"), j, 4 + j, 1);
      set(attn(l, "o_proj"), 4 + j, j, scale);
    }
    return this;
  }

  /**
   * Head 0 of block l as a backup of the writer: it re-derives the feature from the identity dims
   * and writes gamma times what is missing, gamma (n_j - n_{4+j}) onto dim 4 + j, for j below
   * {@code dims}. Inert when the feature is already there.
   */
  HandBuiltModels backup(int l, double gamma, int dims) {
    for (int j = 0; j < dims; j++) {
      set(attn(l, "v_proj"), j, j, 1);
      set(attn(l, "v_proj"), j, 4 + j, -1);
      set(attn(l, "o_proj"), 4 + j, j, gamma);
    }
    return this;
  }

  private static String attn(int l, String p) {
    return "model.layers." + l + ".self_attn." + p + ".weight";
  }

  LlamaModel build(NDManager manager) {
    try (NDManager staging = manager.newSubManager()) {
      Map<String, NDArray> tensors = new HashMap<>();
      for (Map.Entry<String, float[]> e : weights.entrySet()) {
        tensors.put(e.getKey(), staging.create(e.getValue(), shapes.get(e.getKey())));
      }
      return LlamaModel.of(config, manager, tensors, "hand-built");
    }
  }

  /** Prompts of one repeated token each. */
  static int[][] repeated(int length, int... tokens) {
    int[][] out = new int[tokens.length][length];
    for (int i = 0; i < tokens.length; i++) {
      java.util.Arrays.fill(out[i], tokens[i]);
    }
    return out;
  }
}
