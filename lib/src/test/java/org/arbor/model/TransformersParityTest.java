package org.arbor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.arbor.testing.Oracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** transformers loads an Arbor checkpoint unchanged and computes the same logits. */
class TransformersParityTest {
  static final ModelConfig CONFIG = new ModelConfig(37, 32, 3, 4, 48, 64, 10000, 1e-6, 0.05);

  @Test
  void safetensorsHeaderFollowsTheSpec(@TempDir Path dir) throws Exception {
    try (NDManager m = NDManager.newBaseManager(); LlamaModel model = LlamaModel.initialise(CONFIG, m, 9)) {
      Checkpoint.write(dir, model, null);
    }
    byte[] bytes = Files.readAllBytes(dir.resolve(Checkpoint.WEIGHTS));
    long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8, "header padded to 8 bytes");
    JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
    assertEquals("pt", header.path("__metadata__").path("format").asText());
    List<String> names = new ArrayList<>();
    long expectedOffset = 0;
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().equals("__metadata__")) {
        entries.add(e);
      }
    }
    entries.sort((a, b) -> Long.compare(a.getValue().path("data_offsets").get(0).asLong(), b.getValue().path("data_offsets").get(0).asLong()));
    for (Map.Entry<String, JsonNode> e : entries) {
      names.add(e.getKey());
      JsonNode t = e.getValue();
      assertEquals("F32", t.path("dtype").asText());
      long elements = 1;
      for (JsonNode d : t.path("shape")) {
        elements *= d.asLong();
      }
      assertEquals(expectedOffset, t.path("data_offsets").get(0).asLong(), e.getKey() + " contiguous");
      expectedOffset += 4 * elements;
      assertEquals(expectedOffset, t.path("data_offsets").get(1).asLong());
      Shape s = LlamaModel.shapes(CONFIG).get(e.getKey());
      assertEquals(s, new Shape(toLongs(t.path("shape"))), e.getKey());
    }
    assertEquals(bytes.length - 8 - n, expectedOffset, "data section holds exactly the tensors");
    List<String> expected = new ArrayList<>(LlamaModel.shapes(CONFIG).keySet());
    expected.sort(String::compareTo);
    assertEquals(expected, names);
    assertEquals(true, names.contains("model.layers.2.self_attn.q_proj.weight") && names.contains("lm_head.weight"));
  }

  private static long[] toLongs(JsonNode a) {
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asLong();
    }
    return out;
  }

  @Test
  void transformersLoadsTheCheckpointAndAgreesOnLogits(@TempDir Path dir) throws Exception {
    assumeTrue(Oracle.available(), "no Python oracle (.venv); .ci/run makes one");
    int[] tokens = {3, 17, 0, 36, 5, 5, 22, 9, 14, 1, 30, 2};
    float[] logits;
    try (NDManager m = NDManager.newBaseManager(); LlamaModel model = LlamaModel.initialise(CONFIG, m, 10)) {
      Checkpoint.write(dir, model, null);
      logits = LlamaModel.values(model.forward(m.create(tokens, new Shape(1, tokens.length)), Hooks.NONE));
    }
    StringBuilder arbor = new StringBuilder();
    for (float f : logits) {
      arbor.append(f).append('\n');
    }
    Files.writeString(dir.resolve("arbor-logits.txt"), arbor);
    String script = String.join("\n",
        "import sys, torch",
        "from transformers import LlamaForCausalLM",
        "d = sys.argv[1]",
        "model, info = LlamaForCausalLM.from_pretrained(d, output_loading_info=True, torch_dtype=torch.float32)",
        "assert not info['missing_keys'] and not info['unexpected_keys'] and not info['mismatched_keys'], info",
        "ids = torch.tensor([[" + java.util.Arrays.toString(tokens).replaceAll("[\\[\\]]", "") + "]])",
        "with torch.no_grad():",
        "    ref = model(ids).logits[0].flatten()",
        "arbor = torch.tensor([float(x) for x in open(d + '/arbor-logits.txt')])",
        "print(float((ref - arbor).abs().max()))");
    double maxDiff = Double.parseDouble(Oracle.run(script, dir.toString()).trim());
    assertEquals(0, maxDiff, 1e-4, "max |logit difference| against transformers");
  }
}
