package org.arbor.jobs;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.arbor.config.ConfigNode;
import org.arbor.corpus.CorpusSpec;

/** Small corpus configs over the repository's presets, for tests. */
public final class TestCorpora {
  private TestCorpora() {}

  public static Path root() {
    return org.arbor.testing.Oracle.root();
  }

  /** A corpus over a preset (path relative to conf/), as a YAML file written into dir. */
  public static Path write(Path dir, String name, String process, long train, long test, String placement,
      int trainShards) throws IOException {
    String yaml = "name: " + name + "\n"
        + "process: " + root().resolve("conf").resolve(process).toAbsolutePath() + "\n"
        + "seed: 7\n"
        + "base_documents: {train: " + train + ", test: " + test + "}\n"
        + "placement: " + placement + "\n"
        + "shards: {train: " + trainShards + ", test: 1}\n";
    Files.createDirectories(dir);
    Path f = dir.resolve(name + ".yaml");
    Files.writeString(f, yaml);
    return f;
  }

  public static CorpusSpec spec(Path file) {
    return CorpusSpec.load(file);
  }

  public static CorpusSpec parse(String yaml) {
    return new CorpusSpec(ConfigNode.parse("inline.yaml", new StringReader(yaml)), root().resolve("conf/corpora"));
  }

  /**
   * The quickstart at a tiny scale (the presets' processes and probes, a few hundred training
   * steps' worth of tokens less): its configs written into dir, returned as quickstart options
   * (--pcfg, --ngram, --run, --sweep and their files).
   */
  public static String[] tinyQuickstart(Path dir) throws IOException {
    Path root = root();
    Path pcfg = write(dir, "tiny-pcfg", "grammars/small-lexicon.yaml", 60, 8, "adjacent", 2);
    Path ngram = write(dir, "tiny-ngram", "ngram/small-vocabulary.yaml", 8, 2, "shuffled", 2);
    Path run = dir.resolve("run.yaml");
    Files.writeString(run, String.join("\n", "name: tiny", "model: " + root.resolve("conf/models/quickstart-small.yaml"),
        "seed: 1", "data: {context: 128}", "batch: {size: 8}", "budget: {steps: 12}",
        "optimizer: {lr: 1.0e-3, betas: [0.9, 0.95], eps: 1.0e-8, weight_decay: 0.0, clip: 1.0}",
        "schedule: {kind: cosine, warmup: 2, min_ratio: 0.1}", "checkpoints: {count: 3, spacing: log, eval_windows: 4}", ""));
    // The quickstart sweep's probes with smaller samples.
    Path sweep = dir.resolve("sweep.yaml");
    Files.writeString(sweep, String.join("\n", "name: tiny", "seed: 1", "runs: [{run: unused}]", "probes:",
        "  induction: {samples: 4, icl_windows: 4, sequence_length: 16, k_max: 4, context: 128}",
        "  structure: {grammar: " + root.resolve("conf/grammars/small-lexicon.yaml") + ", prompts: 8, continuations: 4}",
        "  function_vector: {prompts: 4}",
        "  hydra: {prompts: 4, length: 32, positions: 8}",
        "  geometry: {documents: 6, max_tokens: 128, max_iterations: 20}", ""));
    return new String[] {"--pcfg", pcfg.toString(), "--ngram", ngram.toString(), "--run", run.toString(), "--sweep",
        sweep.toString()};
  }
}
