package org.arbor.corpus;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import org.arbor.config.ConfigNode;
import org.arbor.grammar.GrammarSpec;
import org.arbor.grammar.PcfgProcess;
import org.arbor.ngram.NgramProcess;
import org.arbor.ngram.NgramSpec;

/**
 * A corpus to generate (conf/corpora/*.yaml): which process, the seed, how many base documents go
 * to each split, where repetitions are placed in the stream, and how many Parquet shards each split
 * is written as. Test documents are whole held-out base documents (ids below test's count), so
 * train and test follow the same distribution.
 */
public final class CorpusSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Where the repetitions of a base document go in the corpus stream. */
  public enum Placement {
    /** Globally shuffled, as in the paper: order by a keyed hash of (seed, document id). */
    SHUFFLED,
    /** The repetitions of each base document follow one another. */
    ADJACENT
  }

  public final String file;
  public final String name;
  public final DocumentSource process;
  public final long seed;
  public final long trainBaseDocuments;
  public final long testBaseDocuments;
  public final Placement placement;
  public final int trainShards;
  public final int testShards;
  public final Map<String, Object> config;

  public static CorpusSpec load(Path file) {
    return new CorpusSpec(ConfigNode.load(file), file.toAbsolutePath().getParent());
  }

  public CorpusSpec(ConfigNode root, Path dir) {
    file = root.file();
    config = root.raw();
    name = root.string("name");
    String processFile = root.string("process");
    Path p = dir.resolve(processFile).normalize();
    process = loadProcess(root, p);
    seed = root.longValue("seed");
    ConfigNode base = root.child("base_documents");
    trainBaseDocuments = nonNegative(base, "train");
    testBaseDocuments = nonNegative(base, "test");
    if (trainBaseDocuments == 0) {
      throw base.error("train", "must be at least 1");
    }
    base.finish();
    String pl = root.string("placement", "shuffled");
    placement = switch (pl) {
      case "shuffled" -> Placement.SHUFFLED;
      case "adjacent" -> Placement.ADJACENT;
      default -> throw root.error("placement", "expected shuffled or adjacent, got '" + pl + "'");
    };
    ConfigNode shards = root.childOrEmpty("shards");
    trainShards = Math.max(1, shards.count("train", 1));
    testShards = Math.max(1, shards.count("test", 1));
    shards.finish();
    root.finish();
  }

  private static long nonNegative(ConfigNode n, String key) {
    long v = n.longValue(key);
    if (v < 0) {
      throw n.error(key, "must not be negative, got " + v);
    }
    return v;
  }

  /** Loads a process file, dispatching on its kind. */
  public static DocumentSource loadProcess(ConfigNode referrer, Path file) {
    if (!file.toFile().isFile()) {
      throw referrer.error("process", "file not found: " + file);
    }
    return process(ConfigNode.load(file));
  }

  /** The process a config describes (a grammar or an N-gram spec), by its kind. */
  public static DocumentSource process(ConfigNode node) {
    String kind = node.has("kind") ? String.valueOf(node.raw().get("kind")) : "";
    return switch (kind) {
      case "pcfg" -> new PcfgProcess(new GrammarSpec(node));
      case "ngram" -> new NgramProcess(new NgramSpec(node));
      default -> throw node.error("kind", "expected pcfg or ngram, got '" + kind + "'");
    };
  }

  public long documents(String split) {
    return baseDocuments(split) * process.repetitions();
  }

  public long baseDocuments(String split) {
    return split.equals("test") ? testBaseDocuments : trainBaseDocuments;
  }

  /** First base document id of a split: test takes [0, test), train the ids after it. */
  public long firstBaseDocument(String split) {
    return split.equals("test") ? 0 : testBaseDocuments;
  }

  public int shards(String split) {
    return split.equals("test") ? testShards : trainShards;
  }
}
