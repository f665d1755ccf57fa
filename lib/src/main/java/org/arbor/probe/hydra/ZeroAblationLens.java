package org.arbor.probe.hydra;

import static org.arbor.probe.hydra.HydraArrays.attn;
import static org.arbor.probe.hydra.HydraArrays.in;
import static org.arbor.probe.hydra.HydraArrays.mlp;
import static org.arbor.probe.hydra.HydraArrays.residPost;
import static org.arbor.probe.hydra.HydraArrays.tokens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import org.arbor.model.CausalLm;
import org.arbor.model.Hooks;
import org.arbor.probe.ProbeResult;

/**
 * The paper's "Hydra effect" measurement (arXiv 2603.06592, released code), kept for comparison;
 * it is a zero-ablation logit lens, not McGrath et al.'s resample ablation.
 *
 * <p>For k in {1, 2} and each layer L with L - k >= 0: zero the whole output of block L - k (its
 * attention and its MLP output), and read the logit lens of block L's output at the last position:
 * lens = resid_post_L[T-1] . W_U[y] with no final norm, for y = the last input token (the paper's
 * choice of target). diff = lens(clean) - lens(ablated), averaged over prompts;
 * compensation = -min(mean diff, 0), the paper's display of a negative diff (the ablated run's lens
 * above the clean one) as compensation.
 */
final class ZeroAblationLens {
  static final int[] KS = {1, 2};

  private final CausalLm model;
  private final double[][] diff; // [k - 1][L]: sums over prompts
  private long count;

  ZeroAblationLens(CausalLm model) {
    this.model = model;
    this.diff = new double[KS.length][model.layers()];
  }

  void add(NDManager parent, int[][] prompts) {
    int b = prompts.length;
    int t = prompts[0].length;
    int layers = model.layers();
    long[] last = new long[b];
    for (int i = 0; i < b; i++) {
      last[i] = prompts[i][t - 1];
    }
    float[] rows = HydraArrays.unembeddingRows(model, last);
    try (NDManager m = parent.newSubManager()) {
      double[][] cleanLens = new double[layers][];
      try (NDManager f = m.newSubManager()) {
        Hooks clean = new Hooks();
        for (int l = 0; l < layers; l++) {
          clean.read(residPost(l));
        }
        model.forward(tokens(f, prompts), clean);
        for (int l = 0; l < layers; l++) {
          cleanLens[l] = lens(f, clean.get(residPost(l)), t, rows);
        }
      }
      for (int zeroed = 0; zeroed + KS[0] < layers; zeroed++) {
        try (NDManager f = m.newSubManager()) {
          Hooks ablated = new Hooks().write(attn(zeroed), NDArray::zerosLike).write(mlp(zeroed), NDArray::zerosLike);
          for (int k : KS) {
            if (zeroed + k < layers) {
              ablated.read(residPost(zeroed + k));
            }
          }
          model.forward(tokens(f, prompts), ablated);
          for (int j = 0; j < KS.length; j++) {
            int l = zeroed + KS[j];
            if (l < layers) {
              double[] lensAblated = lens(f, ablated.get(residPost(l)), t, rows);
              for (int i = 0; i < b; i++) {
                diff[j][l] += cleanLens[l][i] - lensAblated[i];
              }
            }
          }
        }
      }
    }
    count += b;
  }

  /** Rows paper_diff:k=K and paper_compensation:k=K for each layer L >= K. */
  List<ProbeResult> results(String probe) {
    List<ProbeResult> out = new ArrayList<>();
    for (int j = 0; j < KS.length; j++) {
      for (int l = KS[j]; l < model.layers(); l++) {
        double mean = diff[j][l] / count;
        out.add(ProbeResult.layer(probe, l, "paper_diff:k=" + KS[j], mean));
        out.add(ProbeResult.layer(probe, l, "paper_compensation:k=" + KS[j], Math.max(-mean, 0.0)));
      }
    }
    return out;
  }

  /** resid[:, T-1, :] . rows per prompt. */
  private double[] lens(NDManager f, NDArray resid, int t, float[] rows) {
    float[] x = in(f, resid.get(new NDIndex(":, {}, :", t - 1))).toFloatArray();
    int d = model.hidden();
    double[] out = new double[x.length / d];
    for (int i = 0; i < out.length; i++) {
      double s = 0;
      for (int c = 0; c < d; c++) {
        s += (double) x[i * d + c] * rows[i * d + c];
      }
      out[i] = s;
    }
    return out;
  }
}
