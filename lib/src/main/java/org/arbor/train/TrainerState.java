package org.arbor.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.arbor.corpus.WindowPosition;

/**
 * trainer_state.json beside a checkpoint: the step, tokens seen and the data stream's position; with
 * optimizer.safetensors (the AdamW moments) it is all a resumed run needs. Every random draw of
 * training is keyed by (seed, epoch, shard), so the position replaces any generator state.
 */
public record TrainerState(long step, long tokens, WindowPosition position) {
  public static final String FILE = "trainer_state.json";
  public static final String OPTIMIZER = "optimizer.safetensors";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public void write(Path dir) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("step", step);
    o.put("tokens_seen", tokens);
    ObjectNode p = o.putObject("data_position");
    p.put("epoch", position.epoch());
    p.put("shard", position.shard());
    p.put("window", position.window());
    Files.writeString(dir.resolve(FILE), JSON.writeValueAsString(o) + "\n");
  }

  public static TrainerState read(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    JsonNode o;
    try {
      o = JSON.readTree(f.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(f + ": not valid JSON (corrupt checkpoint?)");
    }
    JsonNode p = o.path("data_position");
    if (!o.has("step") || !p.has("epoch")) {
      throw new IllegalArgumentException(f + ": missing step or data_position");
    }
    return new TrainerState(o.path("step").asLong(), o.path("tokens_seen").asLong(),
        new WindowPosition(p.path("epoch").asInt(), p.path("shard").asInt(), p.path("window").asInt()));
  }
}
