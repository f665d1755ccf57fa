package org.arbor.probe.induction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import org.arbor.model.CausalLm;
import org.arbor.model.LlamaModel;

/**
 * The copying score of every head of one layer: how much the head's OV circuit raises the logit of
 * the token it attends to (Olsson et al. 2022 read the same circuit W_U W_O W_V W_E through its
 * eigenvalues; this is its direct logit form, in nats).
 *
 * <p>For each token t of a set S (the distinct tokens of the random sequences, i.e. the tokens that
 * compete in [r; r]), the head attends fully to a position whose residual is t's embedding E[t]:
 * its output is o_t = W_O^h W_V^h norm_L(E[t]), with norm_L the layer's input norm (RMSNorm with
 * its weight for Llama, LayerNorm without parameters for OLMo). The output is read as the direct
 * logit effect l_t(u) = U[u] . finalNorm(o_t, s), with the final norm's scale frozen at s, the mean
 * {@code final_norm.scale} of the forward pass over the repeated sequences (as the Hydra probe's
 * direct effect freezes it). The score is mean over t in S of [l_t(t) - mean over u in S of l_t(u)]:
 * positive when the head copies the attended token, negative when it suppresses it, 0 when its OV
 * circuit does not single it out. Unlike the fraction of tokens ranked top, it keeps the sign and
 * the size of the effect, so a copying head and its negation score +x and -x.
 */
final class CopyingScore {
  private CopyingScore() {}

  /** Scores [heads] of layer {@code layer}; arrays are made in (and closed with) m. */
  static double[] of(CausalLm model, int layer, int[] tokens, double finalScale, NDManager m) {
    String p = "model.layers." + layer + ".";
    NDArray idx = m.create(tokens).toType(DataType.INT64, false);
    NDArray embed = local(need(model, "model.embed_tokens.weight").get(new NDIndex("{}", idx)), m);
    NDArray x = inputNorm(model, layer, embed);
    int h = model.heads();
    int dh = model.headDim();
    int d = model.hidden();
    int s = tokens.length;
    NDArray v = x.matMul(local(need(model, p + "self_attn.v_proj.weight").transpose(), m)) // [S, D]
        .reshape(s, h, dh).transpose(1, 0, 2); // [H, S, Dh]
    NDArray woHeads = local(need(model, p + "self_attn.o_proj.weight").reshape(d, h, dh), m).transpose(1, 2, 0);
    NDArray out = v.matMul(woHeads); // [H, S, D]: each head's output o_t
    NDArray z = model.finalNorm(out, m.create(new float[] {(float) finalScale}));
    NDArray unembed = local(model.unembedding().get(new NDIndex("{}", idx)), m); // [S, D]
    float[] logits = z.matMul(unembed.transpose()).toFloatArray(); // [H, S(t), S(u)]
    double[] score = new double[h];
    for (int head = 0; head < h; head++) {
      double sum = 0;
      for (int t = 0; t < s; t++) {
        int row = (head * s + t) * s;
        double mean = 0;
        for (int u = 0; u < s; u++) {
          mean += logits[row + u];
        }
        sum += logits[row + t] - mean / s;
      }
      score[head] = sum / s;
    }
    return score;
  }

  /** The layer's input norm applied to x [N, D] (x belongs to the scratch manager). */
  static NDArray inputNorm(CausalLm model, int layer, NDArray x) {
    switch (model.kind()) {
      case "llama" -> {
        double eps = model instanceof LlamaModel l ? l.config().rmsNormEps() : 1e-6;
        NDArray w = need(model, "model.layers." + layer + ".input_layernorm.weight");
        return x.mul(x.square().mean(new int[] {-1}, true).add(eps).sqrt().pow(-1)).mul(w);
      }
      case "olmo" -> {
        // OLMo's LayerNorm has no weight or bias; eps 1e-5 as in transformers' OlmoLayerNorm.
        NDArray c = x.sub(x.mean(new int[] {-1}, true));
        return c.mul(c.square().mean(new int[] {-1}, true).add(1e-5).sqrt().pow(-1));
      }
      default -> throw new IllegalArgumentException("copying score: no input norm known for model kind '"
          + model.kind() + "'");
    }
  }

  private static NDArray need(CausalLm model, String name) {
    NDArray a = model.parameter(name);
    if (a == null) {
      throw new IllegalArgumentException("copying score: the " + model.kind() + " model has no parameter '" + name + "'");
    }
    return a;
  }

  /**
   * Results of ops on parameters belong to the model's manager: move each such result to the
   * scratch manager at once (further ops on it then land there too).
   */
  private static NDArray local(NDArray a, NDManager m) {
    a.attach(m);
    return a;
  }
}
