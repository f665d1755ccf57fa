package org.arbor.jobs;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arbor.config.ConfigException;
import org.arbor.corpus.CorpusSpec;
import org.arbor.jobs.corpus.CorpusWriter;
import org.arbor.train.CorpusWindows;
import org.arbor.train.TrainConfig;
import org.arbor.train.Trainer;
import org.junit.BeforeClass;
import org.junit.Test;

/** The training job on corpora the corpus engine writes: resume, refusals, learning. */
public class TrainTest extends SparkTestBase {
  private static Path work;
  private static Path corpus;
  private static Path tinyCorpus;


  @BeforeClass
  public static void makeWorkDir() throws IOException {
    work = Files.createTempDirectory("arbor-train-test");
  }

  private Path corpus() throws IOException {
    if (corpus == null) {
      CorpusSpec spec = TestCorpora.spec(TestCorpora.write(work.resolve("conf"), "train-pcfg", "grammars/ukp-released.yaml",
          150, 5, "shuffled", 3));
      corpus = work.resolve("corpus");
      new CorpusWriter(spark(), spec).write(corpus.toString(), false);
    }
    return corpus;
  }

  private Path tinyCorpus() throws IOException {
    if (tinyCorpus == null) {
      CorpusSpec spec = TestCorpora.spec(TestCorpora.write(work.resolve("conf"), "tiny-pcfg", "grammars/ukp-released.yaml",
          1, 1, "adjacent", 1));
      tinyCorpus = work.resolve("tiny-corpus");
      new CorpusWriter(spark(), spec).write(tinyCorpus.toString(), false);
    }
    return tinyCorpus;
  }

  /** A run file over a small model; extra lines override the defaults. */
  private static TrainConfig config(String name, String... extra) throws IOException {
    Path dir = work.resolve("runs");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("model-" + name + ".yaml"), String.join("\n",
        "architecture: llama", "vocab_size: " + value(extra, "vocab", "1003"), "hidden_size: " + value(extra, "hidden", "32"),
        "num_hidden_layers: 2", "num_attention_heads: 2", "intermediate_size: " + value(extra, "mlp", "64"),
        "max_position_embeddings: 64", ""));
    Files.writeString(dir.resolve(name + ".yaml"), String.join("\n",
        "name: " + name, "model: model-" + name + ".yaml", "seed: 3",
        "data: {context: " + value(extra, "context", "32") + "}",
        "batch: {size: " + value(extra, "batch", "4") + ", accumulation: " + value(extra, "accumulation", "2") + "}",
        "budget: {steps: " + value(extra, "steps", "12") + "}",
        "optimizer: {lr: " + value(extra, "lr", "3.0e-3") + ", betas: [0.9, 0.95], eps: 1.0e-8, weight_decay: 0.01, clip: 1.0}",
        "schedule: {kind: cosine, warmup: 3, min_ratio: 0.1}",
        "checkpoints: {count: " + value(extra, "checkpoints", "3") + ", spacing: " + value(extra, "spacing", "even") + ", eval_windows: 8}", ""));
    return TrainConfig.load(dir.resolve(name + ".yaml"));
  }

  private static String value(String[] extra, String key, String fallback) {
    for (String e : extra) {
      if (e.startsWith(key + "=")) {
        return e.substring(key.length() + 1);
      }
    }
    return fallback;
  }

  private long train(TrainConfig c, Path data, Path out, long stopAfter) throws IOException {
    return new Trainer(c, data, out, CorpusWindows.FACTORY).stopAfter(stopAfter).run(System.err);
  }

  private static void assertSameFiles(Path a, Path b) throws IOException {
    for (String f : List.of("model.safetensors", "optimizer.safetensors", "trainer_state.json", "config.json", "tokenizer.json")) {
      assertArrayEquals(f + " differs", Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)));
    }
  }

  private static List<String> lossColumn(Path metrics) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(metrics)) {
      if (Character.isDigit(line.charAt(0))) {
        String[] f = line.split(",", -1);
        out.add(f[0] + ":" + f[2] + ":" + f[6]);
      }
    }
    return out;
  }

  @Test
  public void resumedRunsGiveBitIdenticalCheckpoints() throws Exception {
    TrainConfig c = config("resume");
    Path a = work.resolve("run-a");
    assertEquals(12, train(c, corpus(), a, Long.MAX_VALUE));
    // Interrupted after step 10 (last checkpoint: 8), then started again.
    Path b = work.resolve("run-b");
    train(c, corpus(), b, 10);
    assertEquals(12, train(c, corpus(), b, Long.MAX_VALUE));
    for (long step : new long[] {4, 8, 12}) {
      assertSameFiles(a.resolve("checkpoints/step-" + step), b.resolve("checkpoints/step-" + step));
    }
    assertEquals(lossColumn(a.resolve("metrics.csv")), lossColumn(b.resolve("metrics.csv")));

    // A real SIGKILL of a training process as soon as its first checkpoint exists.
    Path k = work.resolve("run-killed");
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "org.arbor.jobs.Main", "train",
        "--run", work.resolve("runs/resume.yaml").toString(), "--corpus", corpus().toString(), "--out", k.toString()))
        .redirectErrorStream(true).redirectOutput(work.resolve("killed.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(k.resolve("checkpoints/step-4")) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    p.destroyForcibly().waitFor();
    assertEquals(12, train(c, corpus(), k, Long.MAX_VALUE));
    assertSameFiles(a.resolve("checkpoints/step-12"), k.resolve("checkpoints/step-12"));
  }

  @Test
  public void refusesChangedConfigsForeignDirectoriesAndBadInput() throws Exception {
    Path out = work.resolve("run-refuse");
    train(config("refuse"), corpus(), out, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> train(config("refuse", "lr=1.0e-3"), corpus(), out, Long.MAX_VALUE));
    org.junit.Assert.assertTrue(e.getMessage(), e.getMessage().contains("config.optimizer.lr: 0.003 -> 0.001"));

    Path foreign = work.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("data.txt"), "keep");
    e = assertThrows(IllegalArgumentException.class, () -> train(config("foreign"), corpus(), foreign, 1));
    org.junit.Assert.assertTrue(e.getMessage(), e.getMessage().contains("not an Arbor run"));
    assertEquals("keep", Files.readString(foreign.resolve("data.txt")));

    e = assertThrows(IllegalArgumentException.class, () -> train(config("small-vocab", "vocab=500"), corpus(), work.resolve("sv"), 1));
    org.junit.Assert.assertTrue(e.getMessage(), e.getMessage().contains("manifest.json") && e.getMessage().contains("vocabulary_size"));

    ConfigException ce = assertThrows(ConfigException.class, () -> config("long", "context=128"));
    org.junit.Assert.assertTrue(ce.getMessage(), ce.getMessage().contains("key 'data.context'") && ce.getMessage().contains("max_position_embeddings"));

    // A corrupt shard: the error names the file.
    Path broken = work.resolve("broken-corpus");
    copy(corpus(), broken);
    Path shard = broken.resolve("train/part-00001.parquet");
    byte[] bytes = Files.readAllBytes(shard);
    java.util.Arrays.fill(bytes, 4, bytes.length - 8, (byte) 7);
    Files.write(shard, bytes);
    Files.deleteIfExists(broken.resolve("train/.part-00001.parquet.crc"));
    Exception x = assertThrows(Exception.class, () -> train(config("broken"), broken, work.resolve("run-broken"), 3));
    org.junit.Assert.assertTrue(x.getMessage(), x.getMessage().contains("part-00001.parquet"));
    Files.delete(shard);
    x = assertThrows(IllegalArgumentException.class, () -> train(config("missing"), broken, work.resolve("run-missing"), 3));
    org.junit.Assert.assertTrue(x.getMessage(), x.getMessage().contains("part-00001.parquet") && x.getMessage().contains("missing shard"));
  }

  private static void copy(Path from, Path to) throws IOException {
    try (var s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  private static double[] evalLosses(Path metrics) throws IOException {
    List<Double> out = new ArrayList<>();
    for (String line : Files.readAllLines(metrics)) {
      String[] f = line.split(",", -1);
      if (Character.isDigit(line.charAt(0)) && !f[6].isEmpty()) {
        out.add(Double.parseDouble(f[6]));
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  public void heldOutLossFallsBelowUniformTowardTheFloor() throws Exception {
    Path out = work.resolve("run-learn");
    train(config("learn", "hidden=64", "mlp=128", "context=64", "batch=16", "accumulation=1", "steps=250",
        "checkpoints=5", "spacing=log"), corpus(), out, Long.MAX_VALUE);
    double[] eval = evalLosses(out.resolve("metrics.csv"));
    double uniform = Math.log(1003);
    double floor = 3.90; // ukp-released, permutations known (manifest: entropy floor)
    double unigram = 6.2; // the no-context loss: unigram entropy of ukp-released (stats job)
    double last = eval[eval.length - 1];
    org.junit.Assert.assertTrue("held-out loss " + last + " must fall clearly below ln V = " + uniform, last < uniform - 1.0);
    org.junit.Assert.assertTrue("and move from uniform toward the floor, below the no-context loss: " + java.util.Arrays.toString(eval),
        eval[0] > uniform - 0.5 && last < unigram - 0.5 && last > floor - 0.05);
  }

  @Test
  public void aTinyModelOverfitsATinyCorpus() throws Exception {
    Path out = work.resolve("run-overfit");
    train(config("overfit", "hidden=64", "mlp=128", "batch=8", "accumulation=1", "steps=300", "checkpoints=1", "lr=1.0e-2"),
        tinyCorpus(), out, Long.MAX_VALUE);
    List<String> rows = Files.readAllLines(out.resolve("metrics.csv"));
    double loss = Double.parseDouble(rows.get(rows.size() - 1).split(",")[2]);
    // About 30 windows seen 80 times: the loss must fall far below the process's entropy (3.9 nats).
    org.junit.Assert.assertTrue("final training loss " + loss, loss < 1.5);
  }
}
