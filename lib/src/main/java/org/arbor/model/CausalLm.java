package org.arbor.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A decoder-only language model as the probes see it: sizes, a forward pass with named hook points
 * ({@link Hooks}), the parameters under their Hugging Face names, and the read-out (final norm and
 * unembedding). Arbor's Llama models and OLMo checkpoints both implement it, so every probe runs on
 * either unchanged.
 */
public interface CausalLm extends AutoCloseable {
  /** Hugging Face model_type: "llama" or "olmo". */
  String kind();

  int vocabSize();

  int hidden();

  int layers();

  int heads();

  default int headDim() {
    return hidden() / heads();
  }

  /** Longest sequence the model accepts. */
  int maxPositions();

  /** Logits [B, T, V] for token ids [B, T]; intermediates belong to the tokens' manager. */
  NDArray forward(NDArray tokens, Hooks hooks);

  /** A parameter by its Hugging Face name (e.g. model.layers.0.self_attn.o_proj.weight), or null. */
  NDArray parameter(String name);

  /** The unembedding matrix [V, D] (lm_head, or the embedding when tied). */
  NDArray unembedding();

  /**
   * The final norm as a linear map with its per-position scale frozen at {@code scale} (the value of
   * the {@code final_norm.scale} hook, [.., 1]): RMSNorm gives x * scale * weight, a LayerNorm
   * without parameters (x - mean(x)) * scale. The direct effect of a residual component is
   * unembedding(finalNorm(component, scale)).
   */
  NDArray finalNorm(NDArray x, NDArray scale);

  /** The manager that owns the parameters. */
  NDManager manager();

  @Override
  void close();
}
