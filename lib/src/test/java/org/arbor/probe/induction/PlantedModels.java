package org.arbor.probe.induction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import org.arbor.model.LlamaModel;
import org.arbor.model.ModelConfig;

/**
 * Hand-built Llama models whose heads do one known thing. Every weight not set is 0 (so MLPs and
 * unused heads add nothing); norm weights are 1.
 *
 * <p>Layout of the residual (D = 64): token one-hot in dims [0, R), the previous token's one-hot
 * (written by a previous-token head) in [R, 2R), a constant in dim 2R. Embeddings are
 * E[t] = e_t + e_{2R}, so every position has the same norm and RMSNorm scales all alike.
 *
 * <p>Positions: RoPE rotates pair p (dims p, p + Dh/2) of q and k by position * theta_p. A query
 * (alpha, 0) and a key beta (cos phi, sin phi) in pair p, both read from the constant dim, give
 * q.k = alpha beta cos((i - j) theta_p - phi): with phi = offset * theta_p and the three fastest
 * pairs (theta = 1, 0.274, 0.075 for rope_theta 1e9, Dh 32) the sum peaks only at i - j = offset,
 * at least 0.4998 above every other offset in 0..15. Token matching uses the slow pairs 5..15
 * (theta <= 0.0015: rotations under 0.03 rad over 16 positions), so it barely depends on position.
 */
public final class PlantedModels {
  static final int R = 16;
  static final int D = 64;
  static final int DH = 32;
  static final int CONST = 2 * R;
  static final double MARGIN = 0.49976906987615166; // min over offsets != target of 3 - sum of cosines
  private final ModelConfig config;
  private final Map<String, float[]> weights = new HashMap<>();

  /** The layout above: D = 64, 2 heads of 32, rope_theta 1e9, 32 positions. */
  PlantedModels(int layers, int vocab) {
    this(new ModelConfig(vocab, D, layers, 2, 4, 32, 1e9, 1e-6, 0.02));
    for (int t = 0; t < vocab; t++) {
      set("model.embed_tokens.weight", t, t, 1);
      set("model.embed_tokens.weight", t, CONST, 1);
    }
  }

  /** All weights 0, norm weights 1, for any sizes (set the rest with {@link #set}). */
  public PlantedModels(ModelConfig config) {
    this.config = config;
    for (int l = 0; l < config.layers(); l++) {
      fill("model.layers." + l + ".input_layernorm.weight", 1);
      fill("model.layers." + l + ".post_attention_layernorm.weight", 1);
    }
    fill("model.norm.weight", 1);
  }

  ModelConfig config() {
    return config;
  }

  static double theta(int pair) {
    return (float) (1.0 / Math.pow(1e9, (float) (2 * pair) / DH));
  }

  /** Norm of the residual's coordinates after RMSNorm when it holds `ones` unit coordinates. */
  static double normalised(int ones) {
    return 1 / Math.sqrt(ones / (double) D + 1e-6);
  }

  /**
   * Head h of layer l attends to i - offset with logit margin `nats` over every other position
   * (the residual entering the layer has `ones` unit coordinates).
   */
  PlantedModels positional(int l, int h, int offset, double nats, int ones) {
    double c = normalised(ones);
    // Sum over 3 pairs of (ab c^2 / sqrt(Dh)) cos(...): margin ab c^2 MARGIN / sqrt(Dh) = nats.
    double ab = nats * Math.sqrt(DH) / (c * c * MARGIN);
    double a = Math.sqrt(ab);
    String p = "model.layers." + l + ".self_attn.";
    for (int pair = 0; pair < 3; pair++) {
      double phi = offset * theta(pair);
      set(p + "q_proj.weight", h * DH + pair, CONST, a);
      set(p + "k_proj.weight", h * DH + pair, CONST, a * Math.cos(phi));
      set(p + "k_proj.weight", h * DH + pair + DH / 2, CONST, a * Math.sin(phi));
    }
    return this;
  }

  /** Adds to head h of layer l a penalty: logit -nats * sum over pairs 0, 1 of cos(theta_p (i - j)). */
  PlantedModels selfPenalty(int l, int h, double nats, int ones) {
    double c = normalised(ones);
    double a = Math.sqrt(nats * Math.sqrt(DH) / (c * c));
    String p = "model.layers." + l + ".self_attn.";
    for (int pair = 0; pair < 2; pair++) {
      set(p + "q_proj.weight", h * DH + pair, CONST, -a);
      set(p + "k_proj.weight", h * DH + pair, CONST, a);
    }
    return this;
  }

  /**
   * Head h of layer l: logit `nats` where the query's token (dims [0, R)) equals the key's block at
   * keyOffset (0: its token; R: its previous token), 0 elsewhere (up to the slow rotation).
   */
  PlantedModels match(int l, int h, int keyOffset, double nats, int ones) {
    double c = normalised(ones);
    double a = Math.sqrt(nats * Math.sqrt(DH) / (c * c));
    String p = "model.layers." + l + ".self_attn.";
    for (int m = 0; m < R; m++) {
      int dim = h * DH + slowDim(m);
      set(p + "q_proj.weight", dim, m, a);
      set(p + "k_proj.weight", dim, keyOffset + m, a);
    }
    return this;
  }

  /** Head dims of the slow pairs 5..15: 5..15, then 21..31. */
  private static int slowDim(int m) {
    return m < 11 ? 5 + m : DH / 2 + 5 + (m - 11);
  }

  /** Head h of layer l copies the attended token's one-hot (dims [0, R)) into dims [to, to + R), times gain. */
  PlantedModels copy(int l, int h, int to, double gain) {
    String p = "model.layers." + l + ".self_attn.";
    for (int m = 0; m < R; m++) {
      set(p + "v_proj.weight", h * DH + m, m, 1);
      set(p + "o_proj.weight", to + m, h * DH + m, gain);
    }
    return this;
  }

  /** lm_head row u = e_u * scale for u < R: the logit of u is the residual's token coordinate u. */
  PlantedModels identityUnembedding(double scale) {
    for (int u = 0; u < R; u++) {
      set("lm_head.weight", u, u, scale);
    }
    return this;
  }

  public void set(String name, int row, int col, double v) {
    Shape s = LlamaModel.shapes(config).get(name);
    float[] w = weights.computeIfAbsent(name, k -> new float[(int) s.size()]);
    w[(int) (row * s.get(1) + col)] = (float) v;
  }

  private void fill(String name, float v) {
    Shape s = LlamaModel.shapes(config).get(name);
    float[] w = weights.computeIfAbsent(name, k -> new float[(int) s.size()]);
    java.util.Arrays.fill(w, v);
  }

  public LlamaModel build(NDManager manager) {
    try (NDManager m = manager.newSubManager()) {
      Map<String, NDArray> tensors = new HashMap<>();
      for (Map.Entry<String, Shape> e : LlamaModel.shapes(config).entrySet()) {
        float[] w = weights.getOrDefault(e.getKey(), new float[(int) e.getValue().size()]);
        tensors.put(e.getKey(), m.create(w, e.getValue()));
      }
      return LlamaModel.of(config, manager, tensors, "planted");
    }
  }
}
