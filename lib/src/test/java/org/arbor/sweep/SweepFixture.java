package org.arbor.sweep;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.arbor.config.ConfigNode;
import org.arbor.corpus.CorpusSpec;
import org.arbor.corpus.Manifest;
import org.arbor.corpus.WindowPosition;
import org.arbor.model.Checkpoint;
import org.arbor.model.LlamaModel;
import org.arbor.model.ModelConfig;
import org.arbor.probe.Probe;
import org.arbor.probe.ProbeResult;
import org.arbor.probe.Probes;
import org.arbor.testing.Oracle;
import org.arbor.train.TrainerState;

/**
 * A hand-made sweep input: a corpus manifest (quick-pcfg's process, no shards), a run directory with
 * metrics.csv and checkpoints of tiny random models (steps 2 and 4 good, step 6 corrupt, step 8 of
 * another vocabulary), and a sweep YAML naming the test probe "vocab_size" whose value is the model's
 * vocabulary size times its setting "factor".
 */
public final class SweepFixture {
  public static final double ENTROPY_FLOOR = 2.5;
  public static final String PROBE = "vocab_size";

  static {
    Probes.register(PROBE, settings -> {
      double factor = settings.number("factor", 1);
      settings.finish();
      return new Probe() {
        @Override
        public String name() {
          return PROBE;
        }

        @Override
        public List<ProbeResult> run(org.arbor.probe.ProbeContext c) {
          return List.of(ProbeResult.of(PROBE, "value", c.model().vocabSize() * factor));
        }
      };
    });
  }

  private SweepFixture() {}

  /** Writes the fixture under dir; returns the sweep YAML. */
  public static Path write(Path dir) throws IOException {
    Path corpus = dir.resolve("corpus");
    Files.createDirectories(corpus);
    CorpusSpec spec = CorpusSpec.load(Oracle.root().resolve("conf/corpora/quick-pcfg.yaml"));
    // Entropy floor = -logProbSum / tokens.
    Files.writeString(corpus.resolve(Manifest.FILE), Manifest.write(spec,
        new Manifest.SplitCounts(10, 100, 1000, -2000, 1), new Manifest.SplitCounts(2, 20, 400, -ENTROPY_FLOOR * 400, 1)));
    int vocab = spec.process.vocabulary().size();
    Path run = dir.resolve("runs/tiny");
    Files.createDirectories(run.resolve("checkpoints"));
    Files.writeString(run.resolve("run.json"), "{\"corpus\": \"" + corpus + "\"}\n");
    StringBuilder metrics = new StringBuilder("step,tokens,loss,lr,grad_norm,tokens_per_s,eval_loss\n");
    for (int s = 1; s <= 8; s++) {
      metrics.append(s).append(',').append(s * 100).append(',').append(10 - s).append(",0.001,1.0,100.0,")
          .append(s % 2 == 0 ? String.valueOf(20 - s) : "").append('\n');
    }
    Files.writeString(run.resolve("metrics.csv"), metrics);
    try (NDManager m = NDManager.newBaseManager()) {
      for (int step : new int[] {2, 4, 8}) {
        ModelConfig c = new ModelConfig(step == 8 ? 10 : vocab, 8, 1, 2, 16, 32, 10000, 1e-6, 0.02);
        Path ck = run.resolve("checkpoints/step-" + step);
        Files.createDirectories(ck);
        try (LlamaModel model = LlamaModel.initialise(c, m, step)) {
          Checkpoint.write(ck, model, null);
        }
        new TrainerState(step, step * 100L, new WindowPosition(0, 0, step)).write(ck);
      }
    }
    Path corrupt = run.resolve("checkpoints/step-6");
    Files.createDirectories(corrupt);
    Files.writeString(corrupt.resolve("config.json"), "{\"model_type\": \"llama\", \"vocab_size\": ");
    new TrainerState(6, 600, new WindowPosition(0, 0, 6)).write(corrupt);
    Path yaml = dir.resolve("sweep.yaml");
    Files.writeString(yaml, """
        name: fixture
        seed: 7
        runs:
          - run: runs/tiny
        probes:
          %s: {factor: 2}
        """.formatted(PROBE));
    return yaml;
  }

  /** A node over a YAML string (for bad-input tests). */
  public static ConfigNode yaml(String text) {
    return ConfigNode.parse("test.yaml", new java.io.StringReader(text));
  }
}
