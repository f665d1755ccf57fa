package org.arbor.olmo;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sizes of an OLMo (Hugging Face OlmoForCausalLM, model_type olmo) decoder as its config.json states
 * them. clipQkv is NaN when the checkpoint does not clip. OLMo's LayerNorm has no parameters and a
 * fixed eps of 1e-5 (transformers ignores any eps in the config), so neither is a field here.
 */
public record OlmoConfig(
    int vocabSize,
    int hidden,
    int layers,
    int heads,
    int intermediate,
    int maxPositions,
    double ropeTheta,
    double clipQkv,
    boolean tied) {

  /** OLMo's LayerNorm eps, hard-coded in transformers' OlmoLayerNorm. */
  public static final double NORM_EPS = 1e-5;

  /** allenai/OLMo-1B-hf: 1.18B parameters. */
  public static final OlmoConfig OLMO_1B = new OlmoConfig(50304, 2048, 16, 16, 8192, 2048, 10000, Double.NaN, true);

  public OlmoConfig {
    if (hidden % heads != 0 || (hidden / heads) % 2 != 0) {
      throw new IllegalArgumentException("hidden " + hidden + " must split into " + heads + " heads of even size");
    }
    if (!Double.isNaN(clipQkv) && !(clipQkv > 0)) {
      throw new IllegalArgumentException("clip_qkv must be positive, got " + clipQkv);
    }
  }

  public int headDim() {
    return hidden / heads;
  }

  public boolean clips() {
    return !Double.isNaN(clipQkv);
  }

  /** The tensors a checkpoint must hold, by Hugging Face name, in a fixed order (no lm_head when tied). */
  public Map<String, Shape> shapes() {
    Map<String, Shape> s = new LinkedHashMap<>();
    long d = hidden;
    s.put("model.embed_tokens.weight", new Shape(vocabSize, d));
    for (int l = 0; l < layers; l++) {
      String p = "model.layers." + l + ".";
      s.put(p + "self_attn.q_proj.weight", new Shape(d, d));
      s.put(p + "self_attn.k_proj.weight", new Shape(d, d));
      s.put(p + "self_attn.v_proj.weight", new Shape(d, d));
      s.put(p + "self_attn.o_proj.weight", new Shape(d, d));
      s.put(p + "mlp.gate_proj.weight", new Shape(intermediate, d));
      s.put(p + "mlp.up_proj.weight", new Shape(intermediate, d));
      s.put(p + "mlp.down_proj.weight", new Shape(d, intermediate));
    }
    if (!tied) {
      s.put("lm_head.weight", new Shape(vocabSize, d));
    }
    return s;
  }

  public long parameterCount() {
    long n = 0;
    for (Shape s : shapes().values()) {
      n += s.size();
    }
    return n;
  }

  /** Reads a Hugging Face OLMo config.json; file names the source in errors. */
  public static OlmoConfig fromHuggingFaceJson(String text, String file) {
    JsonNode o;
    try {
      o = new ObjectMapper().readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage());
    }
    String type = o.path("model_type").asText("");
    if (!type.equals("olmo")) {
      throw new IllegalArgumentException(file + ": key 'model_type': expected olmo, got '" + type
          + "' (not an OLMo checkpoint; Models.load picks the loader from model_type)");
    }
    int heads = need(o, "num_attention_heads", file);
    int hidden = need(o, "hidden_size", file);
    if (!o.path("num_key_value_heads").isMissingNode() && !o.path("num_key_value_heads").isNull()
        && o.path("num_key_value_heads").asInt() != heads) {
      throw new IllegalArgumentException(file + ": key 'num_key_value_heads': grouped-query attention is not supported");
    }
    if (o.path("attention_bias").asBoolean(false)) {
      throw new IllegalArgumentException(file + ": key 'attention_bias': biases are not supported (OLMo has none)");
    }
    String act = o.path("hidden_act").asText("silu");
    if (!act.equals("silu")) {
      throw new IllegalArgumentException(file + ": key 'hidden_act': expected silu (SwiGLU), got '" + act + "'");
    }
    if (o.has("head_dim") && !o.get("head_dim").isNull() && o.get("head_dim").asInt() != hidden / heads) {
      throw new IllegalArgumentException(file + ": key 'head_dim': " + o.get("head_dim").asInt()
          + " differs from hidden_size / num_attention_heads = " + hidden / heads);
    }
    double theta = ropeTheta(o, file);
    JsonNode clip = o.path("clip_qkv");
    double clipQkv = clip.isMissingNode() || clip.isNull() ? Double.NaN : clip.asDouble();
    if (!Double.isNaN(clipQkv) && !(clipQkv > 0)) {
      throw new IllegalArgumentException(file + ": key 'clip_qkv': must be positive or null, got " + clip);
    }
    if (hidden % heads != 0 || (hidden / heads) % 2 != 0) {
      throw new IllegalArgumentException(file + ": key 'num_attention_heads': hidden_size " + hidden
          + " must split into heads of even size");
    }
    return new OlmoConfig(need(o, "vocab_size", file), hidden, need(o, "num_hidden_layers", file), heads,
        need(o, "intermediate_size", file), need(o, "max_position_embeddings", file), theta, clipQkv,
        o.path("tie_word_embeddings").asBoolean(false));
  }

  /**
   * The RoPE base: transformers 5 writes rope_parameters {rope_type, rope_theta}; checkpoints made
   * by older versions (such as OLMo-1B-hf) write rope_theta and rope_scaling at the top level. Only
   * unscaled ("default") RoPE is supported.
   */
  private static double ropeTheta(JsonNode o, String file) {
    JsonNode params = o.path("rope_parameters");
    if (params.isObject()) {
      String kind = params.path("rope_type").asText("default");
      if (!kind.equals("default")) {
        throw new IllegalArgumentException(file + ": key 'rope_parameters.rope_type': only default RoPE is supported, got '" + kind + "'");
      }
      return params.path("rope_theta").asDouble(o.path("rope_theta").asDouble(10000));
    }
    JsonNode scaling = o.path("rope_scaling");
    if (!scaling.isMissingNode() && !scaling.isNull()) {
      throw new IllegalArgumentException(file + ": key 'rope_scaling': scaled RoPE is not supported");
    }
    return o.path("rope_theta").asDouble(10000);
  }

  private static int need(JsonNode o, String key, String file) {
    if (!o.path(key).canConvertToInt() || o.path(key).asInt() <= 0) {
      throw new IllegalArgumentException(file + ": key '" + key + "': missing or not a positive integer");
    }
    return o.path(key).asInt();
  }

  /** Hugging Face config.json (the layout transformers 5 writes); dtype names the stored tensors' type. */
  public String toHuggingFaceJson(String dtype) {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode o = json.createObjectNode();
    o.putArray("architectures").add("OlmoForCausalLM");
    o.put("model_type", "olmo");
    o.put("vocab_size", vocabSize);
    o.put("hidden_size", hidden);
    o.put("intermediate_size", intermediate);
    o.put("num_hidden_layers", layers);
    o.put("num_attention_heads", heads);
    o.put("num_key_value_heads", heads);
    o.put("hidden_act", "silu");
    o.put("max_position_embeddings", maxPositions);
    ObjectNode rope = o.putObject("rope_parameters");
    rope.put("rope_type", "default");
    rope.put("rope_theta", ropeTheta);
    if (clips()) {
      o.put("clip_qkv", clipQkv);
    } else {
      o.putNull("clip_qkv");
    }
    o.put("attention_bias", false);
    o.put("attention_dropout", 0.0);
    o.put("tie_word_embeddings", tied);
    o.put("initializer_range", 0.02);
    o.put("pad_token_id", 1);
    o.put("eos_token_id", vocabSize > 50279 ? 50279 : 0); // OLMo's <|endoftext|> where the vocabulary has it
    o.put("dtype", dtype);
    o.put("use_cache", true);
    try {
      return json.writeValueAsString(o) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
