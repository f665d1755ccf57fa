package org.arbor.olmo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.arbor.model.CausalLm;
import org.arbor.model.Checkpoint;
import org.arbor.model.LlamaModel;
import org.arbor.model.ModelConfig;
import org.arbor.model.Models;
import org.arbor.model.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading OLMo checkpoints: exact dtype widening, chunked reads, and errors that name file and tensor. */
class OlmoCheckpointTest {
  static final OlmoConfig TINY = new OlmoConfig(40, 16, 2, 2, 24, 32, 10000, Double.NaN, true);

  @Test
  void bfloat16RoundsToNearestEven() {
    assertEquals((short) 0x3F80, RandomOlmo.toBf16(1f));
    assertEquals((short) 0x3F80, RandomOlmo.toBf16(1f + 0x1p-8f)); // halfway, 0x3F80 is even
    assertEquals((short) 0x3F82, RandomOlmo.toBf16(1f + 3 * 0x1p-8f)); // halfway, 0x3F81 is odd
    assertEquals((short) 0x3F81, RandomOlmo.toBf16(1f + 0x1p-7f + 0x1p-10f)); // below halfway
    assertEquals((short) 0xC000, RandomOlmo.toBf16(-2f));
  }

  @Test
  void bfloat16CheckpointWidensExactlyAndChunkedReadsAgree(@TempDir Path dir) throws Exception {
    RandomOlmo.write(dir.resolve("f32"), TINY, "F32", 0.3, 5);
    RandomOlmo.write(dir.resolve("bf16"), TINY, "BF16", 0.3, 5);
    assertEquals(TINY.parameterCount() * 2, Files.size(dir.resolve("bf16/model.safetensors"))
        - (Files.size(dir.resolve("f32/model.safetensors")) - TINY.parameterCount() * 4), "bf16 stays 2 bytes a value on disk");
    try (NDManager m = NDManager.newBaseManager();
        OlmoModel f32 = OlmoCheckpoint.read(dir.resolve("f32"), m);
        OlmoModel bf16 = OlmoCheckpoint.read(dir.resolve("bf16"), m);
        OlmoModel chunked = OlmoCheckpoint.read(dir.resolve("bf16"), m, 50);
        OlmoModel chunkedF32 = OlmoCheckpoint.read(dir.resolve("f32"), m, 50)) {
      assertEquals(TINY, bf16.config());
      for (String name : TINY.shapes().keySet()) {
        float[] exact = f32.parameter(name).toFloatArray();
        float[] widened = bf16.parameter(name).toFloatArray();
        for (int i = 0; i < exact.length; i++) {
          float expected = Float.intBitsToFloat((RandomOlmo.toBf16(exact[i]) & 0xFFFF) << 16);
          assertEquals(expected, widened[i], name + "[" + i + "]");
        }
        assertArrayEquals(widened, chunked.parameter(name).toFloatArray(), name + " chunked bf16");
        assertArrayEquals(exact, chunkedF32.parameter(name).toFloatArray(), name + " chunked f32");
        assertEquals(TINY.shapes().get(name), chunked.parameter(name).getShape());
      }
      assertEquals(f32.parameter("model.embed_tokens.weight"), f32.unembedding(), "tied head is the embedding");
    }
  }

  @Test
  void modelsLoadDispatchesOnModelType(@TempDir Path dir) throws Exception {
    Path olmo = dir.resolve("olmo");
    RandomOlmo.write(olmo, TINY, "F32", 0.1, 1);
    Path llama = llama(dir.resolve("llama"));
    try (NDManager m = NDManager.newBaseManager(); CausalLm a = Models.load(olmo, m); CausalLm b = Models.load(llama, m)) {
      assertEquals("olmo", a.kind());
      assertEquals("llama", b.kind());
    }
  }

  @Test
  void anOlmoDirectoryIsRefusedAsLlamaAndTheReverse(@TempDir Path dir) throws Exception {
    Path olmo = dir.resolve("olmo");
    RandomOlmo.write(olmo, TINY, "F32", 0.1, 1);
    Path llama = llama(dir.resolve("llama"));
    try (NDManager m = NDManager.newBaseManager()) {
      var e1 = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(olmo, m));
      assertEquals(olmo.resolve("config.json") + ": key 'model_type': expected llama, got 'olmo'", e1.getMessage());
      var e2 = assertThrows(IllegalArgumentException.class, () -> OlmoCheckpoint.read(llama, m));
      assertTrue(e2.getMessage().startsWith(llama.resolve("config.json") + ": key 'model_type': expected olmo, got 'llama'"),
          e2.getMessage());
    }
  }

  @Test
  void llamaTensorsUnderAnOlmoConfigNameTheFirstForeignTensor(@TempDir Path dir) throws Exception {
    Path llama = llama(dir);
    // Same sizes, untied (Llama has its own head), model_type olmo: only the norm weights differ.
    Files.writeString(llama.resolve("config.json"),
        new OlmoConfig(40, 16, 2, 2, 24, 32, 10000, Double.NaN, false).toHuggingFaceJson("float32"));
    try (NDManager m = NDManager.newBaseManager()) {
      var e = assertThrows(IllegalArgumentException.class, () -> Models.load(llama, m));
      assertEquals(llama.resolve("model.safetensors") + ": unexpected tensor 'model.layers.0.input_layernorm.weight' for"
          + " an OLMo checkpoint (OLMo's LayerNorm has no parameters: is this a Llama checkpoint?)", e.getMessage());
    }
  }

  @Test
  void missingAndMisshapenTensorsAreNamed(@TempDir Path dir) throws Exception {
    RandomOlmo.write(dir, TINY, "F32", 0.1, 1);
    Path weights = dir.resolve("model.safetensors");
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> tensors = SafeTensors.read(weights, m);
      NDArray up = tensors.remove("model.layers.1.mlp.up_proj.weight");
      replace(weights, tensors);
      var missing = assertThrows(IllegalArgumentException.class, () -> OlmoCheckpoint.read(dir, m));
      assertEquals(weights + ": missing tensor 'model.layers.1.mlp.up_proj.weight'", missing.getMessage());
      tensors.put("model.layers.1.mlp.up_proj.weight", up.reshape(12, 32));
      replace(weights, tensors);
      var shape = assertThrows(IllegalArgumentException.class, () -> OlmoCheckpoint.read(dir, m));
      assertEquals(weights + ": tensor 'model.layers.1.mlp.up_proj.weight' has shape (12, 32), expected (24, 16) from "
          + dir.resolve("config.json"), shape.getMessage());
      tensors.put("model.layers.1.mlp.up_proj.weight", up);
      tensors.put("model.layers.1.self_attn.q_proj.bias", m.zeros(new Shape(16)));
      replace(weights, tensors);
      var bias = assertThrows(IllegalArgumentException.class, () -> OlmoCheckpoint.read(dir, m));
      assertTrue(bias.getMessage().contains("unexpected tensor 'model.layers.1.self_attn.q_proj.bias'")
          && bias.getMessage().contains("(OLMo has no biases)"), bias.getMessage());
    }
  }

  @Test
  void shardIndexProblemsNameTheIndexAndTheShard(@TempDir Path dir) throws Exception {
    RandomOlmo.write(dir, TINY, "F32", 0.1, 1);
    Files.move(dir.resolve("model.safetensors"), dir.resolve("model-00001-of-00001.safetensors"));
    Path index = dir.resolve(OlmoCheckpoint.INDEX);
    StringBuilder map = new StringBuilder();
    for (String name : TINY.shapes().keySet()) {
      String shard = name.equals("model.layers.1.mlp.down_proj.weight") ? "model-00002-of-00002.safetensors"
          : "model-00001-of-00001.safetensors";
      map.append(map.length() == 0 ? "" : ",").append('"').append(name).append("\": \"").append(shard).append('"');
    }
    Files.writeString(index, "{\"metadata\": {}, \"weight_map\": {" + map + "}}");
    try (NDManager m = NDManager.newBaseManager()) {
      var e = assertThrows(IllegalArgumentException.class, () -> OlmoCheckpoint.read(dir, m));
      assertEquals(index + ": key 'weight_map.model.layers.1.mlp.down_proj.weight': shard 'model-00002-of-00002.safetensors'"
          + " is not a file in " + dir, e.getMessage());
      Files.writeString(index, Files.readString(index).replace("model-00002-of-00002", "model-00001-of-00001")
          .replace("\"model.layers.0.mlp.up_proj.weight\": \"model-00001-of-00001.safetensors\",", ""));
      var unlisted = assertThrows(IllegalArgumentException.class, () -> OlmoCheckpoint.read(dir, m));
      assertEquals(dir.resolve("model-00001-of-00001.safetensors") + ": tensor 'model.layers.0.mlp.up_proj.weight' is not listed in "
          + index, unlisted.getMessage());
    }
  }

  @Test
  void truncatedWeightsAreRefusedBeforeLoading(@TempDir Path dir) throws Exception {
    RandomOlmo.write(dir, TINY, "BF16", 0.1, 1);
    Path weights = dir.resolve("model.safetensors");
    byte[] bytes = Files.readAllBytes(weights);
    Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 10));
    try (NDManager m = NDManager.newBaseManager()) {
      var e = assertThrows(IllegalArgumentException.class, () -> OlmoCheckpoint.read(dir, m));
      assertTrue(e.getMessage().startsWith(weights + ": tensor '") && e.getMessage().contains("truncated"), e.getMessage());
    }
  }

  @Test
  void configsOfTheRealCheckpointFormatAreRead() {
    // OLMo-1B-hf's config.json (transformers 4.40 layout: rope_theta at the top level).
    String real = """
        {"architectures": ["OlmoForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
         "bos_token_id": null, "clip_qkv": null, "eos_token_id": 50279, "hidden_act": "silu",
         "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": 8192,
         "max_position_embeddings": 2048, "model_type": "olmo", "num_attention_heads": 16,
         "num_hidden_layers": 16, "num_key_value_heads": 16, "pad_token_id": 1, "rope_scaling": null,
         "rope_theta": 10000.0, "tie_word_embeddings": true, "torch_dtype": "float32", "vocab_size": 50304}
        """;
    OlmoConfig c = OlmoConfig.fromHuggingFaceJson(real, "config.json");
    assertEquals(OlmoConfig.OLMO_1B, c);
    assertEquals(1_176_764_416L, c.parameterCount());
    assertEquals(c, OlmoConfig.fromHuggingFaceJson(c.toHuggingFaceJson("bfloat16"), "x"));
    var scaled = assertThrows(IllegalArgumentException.class,
        () -> OlmoConfig.fromHuggingFaceJson(real.replace("\"rope_scaling\": null", "\"rope_scaling\": {\"type\": \"linear\"}"), "c.json"));
    assertEquals("c.json: key 'rope_scaling': scaled RoPE is not supported", scaled.getMessage());
    var clip = assertThrows(IllegalArgumentException.class,
        () -> OlmoConfig.fromHuggingFaceJson(real.replace("\"clip_qkv\": null", "\"clip_qkv\": -1"), "c.json"));
    assertEquals("c.json: key 'clip_qkv': must be positive or null, got -1", clip.getMessage());
  }

  /**
   * Rewrites a safetensors file through a new inode: SafeTensors.read maps the old file, and
   * truncating a mapped file under the arrays that view it would crash the JVM (SIGBUS).
   */
  private static void replace(Path weights, Map<String, NDArray> tensors) throws Exception {
    Path tmp = weights.resolveSibling("rewrite.tmp");
    SafeTensors.write(tmp, tensors);
    Files.move(tmp, weights, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static Path llama(Path dir) throws Exception {
    Files.createDirectories(dir);
    ModelConfig c = new ModelConfig(40, 16, 2, 2, 24, 32, 10000, 1e-6, 0.1);
    try (NDManager m = NDManager.newBaseManager(); LlamaModel model = LlamaModel.initialise(c, m, 3)) {
      Checkpoint.write(dir, model, null);
    }
    return dir;
  }
}
