package org.arbor.model;

import ai.djl.ndarray.NDArray;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Named hook points of one forward pass (the interpretability interface). A reader caches the
 * value at a point; a writer replaces it (ablation, patching, adding a vector). Names:
 *
 * <pre>
 *   embed                          token embeddings [B, T, D]
 *   blocks.L.resid_pre             residual stream entering block L [B, T, D]
 *   blocks.L.attn.pattern          attention probabilities [B, H, T(query), T(key)]
 *   blocks.L.attn.head_out         each head's output before the output projection [B, T, H, Dh]
 *   blocks.L.attn.head_result      each head's contribution after the output projection [B, T, H, D]
 *   blocks.L.attn_out              attention output added to the residual [B, T, D]
 *   blocks.L.resid_mid             residual after attention [B, T, D]
 *   blocks.L.mlp_out               MLP output [B, T, D]
 *   blocks.L.resid_post            residual leaving block L [B, T, D]
 *   final_norm.scale               the final norm's per-position scale [B, T, 1]: RMSNorm 1/rms, LayerNorm 1/std
 *   logits                         [B, T, V]
 * </pre>
 *
 * With no hooks the model never builds the optional values (head_result) and pays one map lookup
 * per point. Values handed to readers belong to the forward pass's NDManager: copy what you keep.
 */
public final class Hooks {
  public static final Hooks NONE = new Hooks();
  private final Map<String, BiFunction<String, NDArray, NDArray>> points = new HashMap<>();
  private final Map<String, NDArray> cache = new HashMap<>();

  /** Caches the value at a point (see {@link #get}). */
  public Hooks read(String name) {
    check();
    points.put(name, (n, v) -> {
      cache.put(n, v);
      return v;
    });
    return this;
  }

  /** Replaces the value at a point by fn(value). */
  public Hooks write(String name, java.util.function.Function<NDArray, NDArray> fn) {
    check();
    points.put(name, (n, v) -> fn.apply(v));
    return this;
  }

  private void check() {
    if (this == NONE) {
      throw new IllegalStateException("Hooks.NONE is shared and cannot take hooks");
    }
  }

  public boolean has(String name) {
    return !points.isEmpty() && points.containsKey(name);
  }

  /** Called by the model (Llama or OLMo) at each point. */
  public NDArray at(String name, NDArray value) {
    if (points.isEmpty()) {
      return value;
    }
    BiFunction<String, NDArray, NDArray> f = points.get(name);
    return f == null ? value : f.apply(name, value);
  }

  /** The cached value of a read point, or null. */
  public NDArray get(String name) {
    return cache.get(name);
  }
}
