package org.arbor.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.arbor.config.ConfigNode;

/**
 * Sizes of a Llama-architecture decoder (conf/models/*.yaml), written as a Hugging Face
 * config.json (model_type llama, LlamaForCausalLM) so transformers loads the checkpoint unchanged.
 */
public record ModelConfig(
    int vocabSize,
    int hidden,
    int layers,
    int heads,
    int intermediate,
    int maxPositions,
    double ropeTheta,
    double rmsNormEps,
    double initStd) {

  public ModelConfig {
    if (hidden % heads != 0) {
      throw new IllegalArgumentException("hidden " + hidden + " is not a multiple of heads " + heads);
    }
    if ((hidden / heads) % 2 != 0) {
      throw new IllegalArgumentException("head dimension " + hidden / heads + " must be even for RoPE");
    }
  }

  public int headDim() {
    return hidden / heads;
  }

  public static ModelConfig load(Path file) {
    ConfigNode n = ConfigNode.load(file);
    ModelConfig c = fromYaml(n);
    return c;
  }

  public static ModelConfig fromYaml(ConfigNode n) {
    String arch = n.string("architecture", "llama");
    if (!arch.equals("llama")) {
      throw n.error("architecture", "only llama models are trained by Arbor, got '" + arch + "'");
    }
    n.string("name", "");
    int hidden = positive(n, "hidden_size");
    int heads = positive(n, "num_attention_heads");
    if (hidden % heads != 0 || (hidden / heads) % 2 != 0) {
      throw n.error("num_attention_heads", "hidden_size " + hidden + " must split into heads of even size");
    }
    ModelConfig c = new ModelConfig(positive(n, "vocab_size"), hidden, positive(n, "num_hidden_layers"), heads,
        positive(n, "intermediate_size"), positive(n, "max_position_embeddings"), n.number("rope_theta", 10000),
        n.number("rms_norm_eps", 1e-6), n.number("initializer_range", 0.02));
    n.finish();
    return c;
  }

  private static int positive(ConfigNode n, String key) {
    int v = n.count(key);
    if (v == 0) {
      throw n.error(key, "must be at least 1");
    }
    return v;
  }

  /** Parameters of the model (embedding, blocks, final norm, untied head). */
  public long parameterCount() {
    long block = 4L * hidden * hidden + 3L * hidden * intermediate + 2L * hidden;
    return 2L * vocabSize * hidden + layers * block + hidden;
  }

  /** Hugging Face config.json. */
  public String toHuggingFaceJson() {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode o = json.createObjectNode();
    o.putArray("architectures").add("LlamaForCausalLM");
    o.put("model_type", "llama");
    o.put("vocab_size", vocabSize);
    o.put("hidden_size", hidden);
    o.put("intermediate_size", intermediate);
    o.put("num_hidden_layers", layers);
    o.put("num_attention_heads", heads);
    o.put("num_key_value_heads", heads);
    o.put("head_dim", headDim());
    o.put("hidden_act", "silu");
    o.put("max_position_embeddings", maxPositions);
    o.put("rms_norm_eps", rmsNormEps);
    o.put("rope_theta", ropeTheta);
    o.putNull("rope_scaling");
    o.put("attention_bias", false);
    o.put("mlp_bias", false);
    o.put("attention_dropout", 0.0);
    o.put("tie_word_embeddings", false);
    o.put("initializer_range", initStd);
    o.put("torch_dtype", "float32");
    o.put("use_cache", true);
    try {
      return json.writeValueAsString(o) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a Hugging Face Llama config.json; file names the source in errors. */
  public static ModelConfig fromHuggingFaceJson(String text, String file) {
    JsonNode o;
    try {
      o = new ObjectMapper().readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage());
    }
    String type = o.path("model_type").asText("");
    if (!type.equals("llama")) {
      throw new IllegalArgumentException(file + ": key 'model_type': expected llama, got '" + type + "'");
    }
    if (o.path("tie_word_embeddings").asBoolean(false)) {
      throw new IllegalArgumentException(file + ": key 'tie_word_embeddings': tied embeddings are not supported for llama");
    }
    int heads = need(o, "num_attention_heads", file);
    if (o.has("num_key_value_heads") && o.get("num_key_value_heads").asInt() != heads) {
      throw new IllegalArgumentException(file + ": key 'num_key_value_heads': grouped-query attention is not supported");
    }
    return new ModelConfig(need(o, "vocab_size", file), need(o, "hidden_size", file), need(o, "num_hidden_layers", file),
        heads, need(o, "intermediate_size", file), need(o, "max_position_embeddings", file),
        o.path("rope_theta").asDouble(10000), o.path("rms_norm_eps").asDouble(1e-6),
        o.path("initializer_range").asDouble(0.02));
  }

  private static int need(JsonNode o, String key, String file) {
    if (!o.path(key).canConvertToInt() || o.path(key).asInt() <= 0) {
      throw new IllegalArgumentException(file + ": key '" + key + "': missing or not a positive integer");
    }
    return o.path(key).asInt();
  }
}
