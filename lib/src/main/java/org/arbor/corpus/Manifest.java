package org.arbor.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * manifest.json of a corpus: what produced it (the corpus and process configs, seed, process hash),
 * what it holds (documents, tokens and log-probability per split), and the schema version. Written
 * last, so a corpus directory without it is incomplete. No timestamps: the same config and seed
 * give the same bytes.
 */
public final class Manifest {
  public static final int SCHEMA_VERSION = 1;
  public static final String FILE = "manifest.json";
  public static final String TOKENIZER = "tokenizer.json";
  // Configs keep their file order: class and rule order define category codes and sampling.
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Counts of one split, measured on the written shards. */
  public record SplitCounts(long baseDocuments, long documents, long tokens, double logProbSum, int shards) {}

  private Manifest() {}

  public static String write(CorpusSpec spec, SplitCounts train, SplitCounts test) {
    DocumentSource p = spec.process;
    ObjectNode root = JSON.createObjectNode();
    root.put("schema_version", SCHEMA_VERSION);
    root.put("name", spec.name);
    root.put("kind", p.kind());
    root.put("seed", spec.seed);
    root.put("placement", spec.placement.name().toLowerCase());
    root.put("process_name", p.name());
    root.put("process_hash", "sha256:" + hash(p.config()));
    root.put("repetitions", p.repetitions());
    root.put("vocabulary_size", p.vocabulary().size());
    root.putPOJO("categories", p.categories());
    ObjectNode splits = root.putObject("splits");
    putSplit(splits, "train", train);
    putSplit(splits, "test", test);
    ObjectNode config = root.putObject("config");
    config.set("corpus", JSON.valueToTree(spec.config));
    config.set("process", JSON.valueToTree(p.config()));
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void putSplit(ObjectNode splits, String name, SplitCounts c) {
    ObjectNode s = splits.putObject(name);
    s.put("base_documents", c.baseDocuments());
    s.put("documents", c.documents());
    s.put("tokens", c.tokens());
    s.put("shards", c.shards());
    s.put("log_prob_sum", c.logProbSum());
    // The entropy rate given the latents: the floor a perfect model's loss approaches.
    s.put("entropy_floor_nats_per_token", c.tokens() == 0 ? Double.NaN : -c.logProbSum() / c.tokens());
  }

  /** SHA-256 of the canonical JSON (keys sorted) of a config tree. */
  public static String hash(Map<String, Object> config) {
    try {
      byte[] bytes = JSON.writer().without(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(canonical(config)).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same tree with every mapping's keys sorted. */
  public static Object canonical(Object value) {
    if (value instanceof Map<?, ?> m) {
      java.util.TreeMap<String, Object> out = new java.util.TreeMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), canonical(v)));
      return out;
    }
    if (value instanceof java.util.List<?> l) {
      return l.stream().map(Manifest::canonical).toList();
    }
    return value;
  }

  public static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("manifest.json is not valid JSON: " + e.getOriginalMessage());
    }
  }
}
