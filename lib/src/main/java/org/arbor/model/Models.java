package org.arbor.model;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads any checkpoint directory Arbor can probe, dispatching on config.json's model_type. */
public final class Models {
  private Models() {}

  /** The model_type of a checkpoint directory's config.json; errors name the file. */
  public static String modelType(Path dir) throws IOException {
    Path config = dir.resolve(Checkpoint.CONFIG);
    if (!Files.isRegularFile(config)) {
      throw new IllegalArgumentException(config + ": missing (not a checkpoint directory)");
    }
    try {
      return new ObjectMapper().readTree(config.toFile()).path("model_type").asText("");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(config + ": not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** Loads the checkpoint in dir into a sub-manager of manager. */
  public static CausalLm load(Path dir, NDManager manager) throws IOException {
    String type = modelType(dir);
    return switch (type) {
      case "llama" -> Checkpoint.read(dir, manager);
      case "olmo" -> org.arbor.olmo.OlmoCheckpoint.read(dir, manager);
      default -> throw new IllegalArgumentException(dir.resolve(Checkpoint.CONFIG)
          + ": key 'model_type': '" + type + "' is not a model Arbor can load (llama, olmo)");
    };
  }
}
