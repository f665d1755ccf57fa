/**
 * OLMo-1B checkpoints (Groeneveld et al., 2024; allenai/OLMo-1B-hf) as probe subjects: the
 * Hugging Face OlmoForCausalLM model ({@link org.arbor.olmo.OlmoModel}, with the same hook points as
 * Arbor's Llama, so every probe runs on it unchanged), its loader for single-file and sharded
 * F32/F16/BF16 safetensors ({@link org.arbor.olmo.OlmoCheckpoint}, reached through
 * {@link org.arbor.model.Models#load}), the training revisions under one root on any Hadoop file
 * system ({@link org.arbor.olmo.OlmoRevisions}), and Paloma evaluation windows
 * ({@link org.arbor.olmo.Paloma}, {@link org.arbor.olmo.PalomaWindows}). Arbor never downloads
 * checkpoints or data: they are fetched outside it (see README, "OLMo checkpoints").
 */
package org.arbor.olmo;
