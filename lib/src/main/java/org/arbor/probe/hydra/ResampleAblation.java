package org.arbor.probe.hydra;

import static org.arbor.probe.hydra.HydraArrays.attn;
import static org.arbor.probe.hydra.HydraArrays.headResult;
import static org.arbor.probe.hydra.HydraArrays.in;
import static org.arbor.probe.hydra.HydraArrays.mlp;
import static org.arbor.probe.hydra.HydraArrays.tokens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.arbor.model.CausalLm;
import org.arbor.model.Hooks;
import org.arbor.probe.ProbeResult;

/**
 * McGrath et al. (2023), "The Hydra Effect": resample ablation of one component at a time, and the
 * split of its effect into a direct part and the compensation by the layers downstream.
 *
 * <p>A component is an attention layer ({@code blocks.L.attn_out}), a whole block (attention plus
 * MLP output, {@code blocks.L.attn_out} and {@code blocks.L.mlp_out}) or one head
 * ({@code blocks.L.attn.head_result[:, :, h]}). Resample ablation replaces its output, at every
 * position, by its output on a source sequence (another input, same length, same positions) in an
 * otherwise clean run. At each measured position, with target token y:
 *
 * <ul>
 *   <li>total effect = logit_y(clean) - logit_y(ablated): the change at the model's output;
 *   <li>direct effect = [W_U finalNorm(c_clean - c_source, s_clean)]_y: the change of the
 *       component's own contribution c read through the unembedding with the final norm's scale
 *       frozen at the clean run's value s_clean (the final norm is linear in x once its scale is
 *       fixed, so this is the change of the component's term in the clean logit);
 *   <li>compensation = direct - total: the part of the direct effect that the downstream layers
 *       (and the change of the final norm's scale) undo. Positive = self-repair.
 * </ul>
 *
 * All effects are clean minus ablated, so a component that supports the target has a positive direct
 * effect. Values are means over prompts and measured positions; compensation is computed from the two
 * means, so it equals their difference exactly.
 */
final class ResampleAblation {
  private final CausalLm model;
  private final HydraProbe.Unit unit;
  private final boolean heads;
  private final int positions;
  // [layer][0] the layer's unit, [layer][1 + h] head h: sums over prompts and positions.
  private final double[][] total;
  private final double[][] direct;
  private long count;

  ResampleAblation(CausalLm model, HydraProbe.Unit unit, boolean heads, int positions) {
    this.model = model;
    this.unit = unit;
    this.heads = heads;
    this.positions = positions;
    this.total = new double[model.layers()][1 + model.heads()];
    this.direct = new double[model.layers()][1 + model.heads()];
  }

  /**
   * Adds one batch. Rows of {@code prompts} and {@code sources} have one length T; the last
   * {@code positions} positions of each prompt are measured. Target: {@code next[i][p]} (the token
   * after position p) when next is given, else the clean run's top-1 token at p.
   */
  void add(NDManager parent, int[][] prompts, int[][] next, int[][] sources) {
    int b = prompts.length;
    int t = prompts[0].length;
    int n = positions;
    int p0 = t - n;
    int layers = model.layers();
    int h = model.heads();
    NDIndex measured = new NDIndex(":, {}:", p0);
    List<String> points = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      points.add(attn(l));
      if (unit == HydraProbe.Unit.BLOCK) {
        points.add(mlp(l));
      }
      if (heads) {
        points.add(headResult(l));
      }
    }
    try (NDManager m = parent.newSubManager()) {
      // Each pass runs in its own manager; only the values kept move to m, the rest of the pass's
      // activations are freed at once (they dominate memory on large models).
      Map<String, NDArray> source = new HashMap<>();
      try (NDManager f = m.newSubManager()) {
        Hooks hooks = base();
        points.forEach(hooks::read);
        model.forward(tokens(f, sources), hooks);
        for (String point : points) {
          source.put(point, in(m, hooks.get(point)));
        }
      }
      Map<String, NDArray> cleanAt = new HashMap<>(); // clean values at the measured positions
      long[] target = new long[b * n];
      NDArray targets;
      float[] clean;
      NDArray scale;
      try (NDManager f = m.newSubManager()) {
        Hooks hooks = base().read("final_norm.scale");
        points.forEach(hooks::read);
        NDArray window = model.forward(tokens(f, prompts), hooks).get(measured);
        if (next == null) {
          long[] top = window.argMax(-1).toLongArray();
          System.arraycopy(top, 0, target, 0, target.length);
        } else {
          for (int i = 0; i < b; i++) {
            for (int p = 0; p < n; p++) {
              target[i * n + p] = next[i][p0 + p];
            }
          }
        }
        targets = m.create(target, new Shape(b, n, 1));
        clean = window.gather(targets, -1).toFloatArray();
        for (String point : points) {
          // A copy, not a view: a view would keep the whole [B, T, ...] value alive.
          cleanAt.put(point, in(m, hooks.get(point).get(measured).duplicate()));
        }
        scale = in(m, hooks.get("final_norm.scale").get(measured));
      }
      float[] rows = HydraArrays.unembeddingRows(model, target);

      for (int l = 0; l < layers; l++) {
        NDArray srcAttn = source.get(attn(l));
        NDArray srcMlp = source.get(mlp(l));
        try (NDManager f = m.newSubManager()) {
          NDArray diff = in(f, cleanAt.get(attn(l)).sub(in(f, srcAttn.get(measured))));
          if (unit == HydraProbe.Unit.BLOCK) {
            diff = diff.add(in(f, cleanAt.get(mlp(l)).sub(in(f, srcMlp.get(measured)))));
          }
          direct[l][0] += readOut(diff, scale, rows);
          Hooks ablate = base().write(attn(l), v -> srcAttn);
          if (unit == HydraProbe.Unit.BLOCK) {
            ablate.write(mlp(l), v -> srcMlp);
          }
          total[l][0] += sumDifference(clean, targetLogits(f, prompts, ablate, targets, p0));
        }
        if (!heads) {
          continue;
        }
        NDArray srcHeads = source.get(headResult(l));
        NDArray cleanHeads = cleanAt.get(headResult(l));
        for (int k = 0; k < h; k++) {
          int head = k;
          try (NDManager f = m.newSubManager()) {
            NDArray diff = in(f, cleanHeads.get(new NDIndex(":, :, {}", head)))
                .sub(in(f, srcHeads.get(new NDIndex(":, {}:, {}", p0, head))));
            direct[l][1 + head] += readOut(diff, scale, rows);
            Function<NDArray, NDArray> swap = v -> replaceHead(f, v, in(f, srcHeads.get(new NDIndex(":, :, {}:{}", head, head + 1))), head);
            Hooks ablate = base().write(headResult(l), swap);
            total[l][1 + head] += sumDifference(clean, targetLogits(f, prompts, ablate, targets, p0));
          }
        }
      }
      count += (long) b * n;
    }
  }

  /** Rows: per layer the unit (head -1) and then each head, keys total_effect, direct_effect, compensation. */
  List<ProbeResult> results(String probe) {
    List<ProbeResult> out = new ArrayList<>();
    for (int l = 0; l < model.layers(); l++) {
      for (int k = 0; k <= (heads ? model.heads() : 0); k++) {
        double tot = total[l][k] / count;
        double dir = direct[l][k] / count;
        int head = k == 0 ? ProbeResult.NONE : k - 1;
        out.add(new ProbeResult(probe, l, head, "total_effect", tot));
        out.add(new ProbeResult(probe, l, head, "direct_effect", dir));
        out.add(new ProbeResult(probe, l, head, "compensation", dir - tot));
      }
    }
    return out;
  }

  /**
   * Every pass reads the per-head results when heads are measured: the model then sums the heads
   * instead of multiplying by the whole output projection, and the clean and ablated runs must take
   * the same arithmetic path, or float rounding would show up as a (tiny) effect.
   */
  private Hooks base() {
    Hooks hooks = new Hooks();
    if (heads) {
      for (int l = 0; l < model.layers(); l++) {
        hooks.read(headResult(l));
      }
    }
    return hooks;
  }

  /** The value [B, T, H, D] with head h's slice replaced by source [B, T, 1, D]. */
  private NDArray replaceHead(NDManager f, NDArray value, NDArray source, int head) {
    int h = model.heads();
    NDList parts = new NDList();
    if (head > 0) {
      parts.add(in(f, value.get(new NDIndex(":, :, :{}", head))));
    }
    parts.add(source);
    if (head < h - 1) {
      parts.add(in(f, value.get(new NDIndex(":, :, {}:", head + 1))));
    }
    return NDArrays.concat(parts, 2);
  }

  /** Sum over (prompt, position) of the target's unembedding row dotted with finalNorm(diff, scale). */
  private double readOut(NDArray diff, NDArray scale, float[] rows) {
    float[] x = model.finalNorm(diff, scale).toFloatArray();
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      sum += (double) x[i] * rows[i];
    }
    return sum;
  }

  /** The target logits [B * n] of a run of the prompts with the given hooks (its arrays go to f). */
  private float[] targetLogits(NDManager f, int[][] prompts, Hooks hooks, NDArray index, int p0) {
    NDArray logits = model.forward(tokens(f, prompts), hooks);
    return logits.get(new NDIndex(":, {}:", p0)).gather(index, -1).toFloatArray();
  }

  private static double sumDifference(float[] clean, float[] ablated) {
    double sum = 0;
    for (int i = 0; i < clean.length; i++) {
      sum += (double) clean[i] - ablated[i];
    }
    return sum;
  }
}
