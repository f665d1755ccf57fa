package org.arbor.corpus;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * What the training side needs from a finished corpus's {@code manifest.json}: schema version,
 * kind, name, vocabulary size, and per split its documents, tokens and shards. Read from a local
 * or Hadoop path; any problem is a {@link CorpusReadException} naming the manifest.
 *
 * @param directory the corpus directory
 * @param splits the splits in file order ({@code train}, {@code test})
 */
public record CorpusManifest(Path directory, int schemaVersion, String kind, String name, int vocabularySize,
    Map<String, Split> splits) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Counts of one split as the generator measured them on its shards. */
  public record Split(long documents, long tokens, int shards) {}

  public CorpusManifest {
    splits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(splits));
  }

  /** Reads {@code DIR/manifest.json} from a local directory. */
  public static CorpusManifest read(java.nio.file.Path directory) {
    return read(new Path(directory.toAbsolutePath().toUri()), new Configuration());
  }

  /**
   * Reads {@code DIR/manifest.json}.
   *
   * @throws CorpusReadException if the manifest is missing (an unfinished corpus), not JSON, lacks
   *     a field, or has a schema version this reader does not know
   */
  public static CorpusManifest read(Path directory, Configuration conf) {
    Path file = new Path(directory, Manifest.FILE);
    String where = file.toString();
    JsonNode root;
    try (InputStream in = file.getFileSystem(conf).open(file)) {
      root = JSON.readTree(in);
    } catch (FileNotFoundException e) {
      throw new CorpusReadException(where, "missing: not a finished corpus (manifest.json is written last)", e);
    } catch (JacksonException e) {
      throw new CorpusReadException(where, "not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), e);
    } catch (IOException e) {
      throw new CorpusReadException(where, "cannot read: " + e, e);
    }
    if (root == null || !root.isObject()) {
      throw new CorpusReadException(where, "not a JSON object");
    }
    int version = (int) integer(where, root, "schema_version", 0, Integer.MAX_VALUE);
    if (version != Manifest.SCHEMA_VERSION) {
      throw new CorpusReadException(where, "schema_version " + version + " is not supported (this reader knows "
          + Manifest.SCHEMA_VERSION + ")");
    }
    String kind = text(where, root, "kind");
    String name = root.path("name").isTextual() ? root.get("name").asText() : "";
    int vocabulary = (int) integer(where, root, "vocabulary_size", 1, Integer.MAX_VALUE);
    JsonNode splitsNode = root.get("splits");
    if (splitsNode == null || !splitsNode.isObject() || splitsNode.isEmpty()) {
      throw new CorpusReadException(where, "field 'splits' is missing or not a non-empty object");
    }
    Map<String, Split> splits = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = splitsNode.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      String prefix = "splits." + e.getKey() + ".";
      JsonNode s = e.getValue();
      if (!s.isObject()) {
        throw new CorpusReadException(where, "field 'splits." + e.getKey() + "' is not an object");
      }
      splits.put(e.getKey(), new Split(
          integer(where, s, prefix, "documents", 0, Long.MAX_VALUE),
          integer(where, s, prefix, "tokens", 0, Long.MAX_VALUE),
          (int) integer(where, s, prefix, "shards", 0, Integer.MAX_VALUE)));
    }
    return new CorpusManifest(directory, version, kind, name, vocabulary, splits);
  }

  /** The counts of a split. */
  public Split split(String split) {
    Split s = splits.get(split);
    if (s == null) {
      throw new IllegalArgumentException(new Path(directory, Manifest.FILE) + ": no split '" + split + "' (has "
          + splits.keySet() + ")");
    }
    return s;
  }

  /** Tokens in a split. */
  public long tokens(String split) {
    return split(split).tokens();
  }

  /** The directory of a split's shards, {@code DIR/split}; the split must be in the manifest. */
  public Path splitPath(String split) {
    split(split);
    return new Path(directory, split);
  }

  private static String text(String where, JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new CorpusReadException(where, "field '" + field + "' is missing or not a non-empty string");
    }
    return v.asText();
  }

  private static long integer(String where, JsonNode node, String field, long min, long max) {
    return integer(where, node, "", field, min, max);
  }

  private static long integer(String where, JsonNode node, String prefix, String field, long min, long max) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
      throw new CorpusReadException(where, "field '" + prefix + field + "' is missing or not an integer"
          + (v == null ? "" : " (" + v + ")"));
    }
    long x = v.asLong();
    if (x < min || x > max) {
      throw new CorpusReadException(where, "field '" + prefix + field + "' is " + x + ", outside [" + min + ", " + max
          + "]");
    }
    return x;
  }
}
