package org.arbor.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model checkpoint in Hugging Face layout: config.json (LlamaForCausalLM) and model.safetensors
 * with Hugging Face tensor names, plus the corpus's tokenizer.json, so that
 * LlamaForCausalLM.from_pretrained(dir) loads it unchanged.
 */
public final class Checkpoint {
  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String TOKENIZER = "tokenizer.json";

  private Checkpoint() {}

  /** Writes config and weights into dir (which must exist); tokenizerJson may be null. */
  public static void write(Path dir, LlamaModel model, String tokenizerJson) throws IOException {
    Files.writeString(dir.resolve(CONFIG), model.config().toHuggingFaceJson());
    SafeTensors.write(dir.resolve(WEIGHTS), model.parameters());
    if (tokenizerJson != null) {
      Files.writeString(dir.resolve(TOKENIZER), tokenizerJson);
    }
  }

  /** Loads a checkpoint directory; errors name the file and the tensor. */
  public static LlamaModel read(Path dir, NDManager manager) throws IOException {
    Path config = dir.resolve(CONFIG);
    Path weights = dir.resolve(WEIGHTS);
    if (!Files.isRegularFile(config)) {
      throw new IllegalArgumentException(config + ": missing (not a checkpoint directory)");
    }
    if (!Files.isRegularFile(weights)) {
      throw new IllegalArgumentException(weights + ": missing");
    }
    ModelConfig c = ModelConfig.fromHuggingFaceJson(Files.readString(config), config.toString());
    try (NDManager staging = manager.newSubManager()) {
      Map<String, NDArray> tensors = SafeTensors.read(weights, staging);
      return LlamaModel.of(c, manager, tensors, weights.toString());
    }
  }
}
