package org.arbor.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arbor.corpus.CorpusManifest;
import org.arbor.corpus.Manifest;
import org.arbor.corpus.WindowPosition;
import org.arbor.model.Checkpoint;
import org.arbor.model.Hooks;
import org.arbor.model.LlamaModel;
import org.arbor.model.SafeTensors;

/**
 * The training loop (nanoGPT-style, in one place): batches of context windows from the corpus
 * stream, next-token cross-entropy, gradient accumulation, global-norm clipping, AdamW and the
 * learning-rate schedule; checkpoints with a held-out loss at the scheduled steps; metrics.csv; and
 * resume from the last complete checkpoint with bit-identical continuation on CPU.
 */
public final class Trainer {
  private final TrainConfig config;
  private final Path corpus;
  private final Path out;
  private final Windows.Factory windows;
  private long stopAfter = Long.MAX_VALUE;
  private ai.djl.Device device = ai.djl.Device.cpu();

  public Trainer(TrainConfig config, Path corpus, Path out, Windows.Factory windows) {
    this.config = config;
    this.corpus = corpus;
    this.out = out;
    this.windows = windows;
  }

  /** Where tensors live: cpu (default) or gpu (needs a CUDA build of libtorch, see README). */
  public Trainer device(String name) {
    device = ai.djl.Device.fromName(name);
    if (device.isGpu() && ai.djl.engine.Engine.getInstance().getGpuCount() == 0) {
      throw new IllegalArgumentException("--device " + name + ": no GPU visible to the PyTorch engine (CPU build of libtorch?)");
    }
    return this;
  }

  /** Test hook: end the process's work abruptly after this step (as if killed). */
  public Trainer stopAfter(long step) {
    stopAfter = step;
    return this;
  }

  /** Trains to the end of the budget, resuming if the directory holds this run; returns the last step. */
  public long run(PrintStream progress) throws IOException {
    Path manifestFile = corpus.resolve(Manifest.FILE);
    if (!Files.isRegularFile(manifestFile)) {
      throw new IllegalArgumentException(manifestFile + ": missing (not a finished corpus)");
    }
    String manifestText = Files.readString(manifestFile);
    CorpusManifest manifest = CorpusManifest.read(corpus);
    int corpusVocab = manifest.vocabularySize();
    if (corpusVocab > config.model().vocabSize()) {
      throw new IllegalArgumentException(manifestFile + ": key 'vocabulary_size': corpus vocabulary " + corpusVocab
          + " exceeds the model's vocab_size " + config.model().vocabSize());
    }
    checkShards(manifest, "train");
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("config", config.raw());
    run.put("model", new ObjectMapper().readTree(config.model().toHuggingFaceJson()));
    run.put("corpus", corpus.toAbsolutePath().normalize().toString());
    run.put("corpus_manifest_sha256", sha256(manifestText));
    RunDirectory dir = RunDirectory.open(out, run);
    String tokenizer = Files.isRegularFile(corpus.resolve(Manifest.TOKENIZER)) ? Files.readString(corpus.resolve(Manifest.TOKENIZER)) : null;
    int padId = corpusVocab - 1; // the presets put [PAD] last; padded positions carry no loss anyway

    long total = config.totalSteps();
    long[] schedule = CheckpointSchedule.steps(config.spacing(), config.checkpoints(), total);
    LearningRate lr = config.learningRate();
    try (NDManager root = NDManager.newBaseManager(device)) {
      long step = dir.latestStep();
      LlamaModel model;
      TrainerState state;
      if (step > 0) {
        Path ck = dir.checkpoint(step);
        model = Checkpoint.read(ck, root);
        state = TrainerState.read(ck);
      } else {
        model = LlamaModel.initialise(config.model(), root, config.seed());
        state = new TrainerState(0, 0, WindowPosition.START);
      }
      try (model; AdamW adam = new AdamW(root, model.parameters(), config.beta1(), config.beta2(), config.eps(),
          config.weightDecay()); Windows train = windows.open(corpus.resolve("train"), config, padId, true, state.position())) {
        if (step > 0) {
          try (NDManager staging = root.newSubManager()) {
            Path ck = dir.checkpoint(step);
            adam.restore(SafeTensors.read(ck.resolve(TrainerState.OPTIMIZER), staging), step, ck.toString());
          }
          progress.printf("resuming %s at step %d of %d%n", out, step, total);
        }
        for (NDArray p : model.parameters().values()) {
          p.setRequiresGradient(true);
        }
        Metrics metrics = new Metrics(dir.path().resolve(RunDirectory.METRICS), step);
        Progress bar = new Progress(progress, total, step);
        long tokens = state.tokens();
        int b = config.batchSize();
        int t = config.context();
        int[] window = new int[t];
        int[] batch = new int[b * t];
        float[] weights = new float[b * (t - 1)];
        int next = 0;
        while (next < schedule.length && schedule[next] <= step) {
          next++;
        }
        while (step < total) {
          long start = System.nanoTime();
          double lossSum = 0;
          double gradNorm;
          double rate = lr.at(step + 1);
          try (NDManager scratch = root.newSubManager()) {
            int[][] ids = new int[config.accumulation()][];
            float[][] masks = new float[config.accumulation()][];
            for (int micro = 0; micro < config.accumulation(); micro++) {
              boolean padded = fill(train, b, window, batch, weights);
              ids[micro] = batch.clone();
              masks[micro] = padded ? weights.clone() : null;
            }
            // A non-finite gradient is computed once more from the same batch: on heavily
            // oversubscribed CPUs we have seen rare one-off NaNs in the embedding's gradient that a
            // recomputation does not repeat (cause not found). A second one is real and stops the run.
            for (int attempt = 0; ; attempt++) {
              lossSum = backward(model, scratch, ids, masks, b, t);
              gradNorm = clipGradients(model, scratch);
              if ((Double.isFinite(lossSum) && Double.isFinite(gradNorm)) || attempt == 1) {
                break;
              }
              progress.printf("%nstep %d: non-finite gradient norm (loss %s); recomputing it once%n", step + 1, lossSum);
              zeroGradients(model, scratch);
            }
            if (!Double.isFinite(lossSum) || !Double.isFinite(gradNorm)) {
              // Stop before the update: the last checkpoint stays a valid place to resume from.
              metrics.flush();
              List<String> bad = new ArrayList<>();
              for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                NDArray g = e.getValue().getGradient();
                g.attach(scratch);
                if (!Float.isFinite(g.abs().sum().getFloat())) {
                  bad.add(e.getKey());
                }
              }
              throw new IllegalStateException(out + ": non-finite " + (Double.isFinite(lossSum) ? "gradient norm" : "loss")
                  + " at step " + (step + 1) + " (loss " + lossSum + ", gradient norm " + gradNorm
                  + "; non-finite gradients: " + bad + ")");
            }
            adam.step(model.parameters(), rate, scratch);
          }
          step++;
          tokens += config.tokensPerStep();
          double seconds = (System.nanoTime() - start) / 1e9;
          Double evalLoss = null;
          if (next < schedule.length && schedule[next] == step) {
            evalLoss = evaluate(model, root, padId);
            writeCheckpoint(dir, model, adam, new TrainerState(step, tokens, train.position()), tokenizer);
            next++;
          }
          metrics.append(step, tokens, lossSum, rate, gradNorm, config.tokensPerStep() / seconds, evalLoss);
          if (evalLoss != null) {
            metrics.flush();
          }
          bar.update(step, lossSum, config.tokensPerStep() / seconds);
          if (step >= stopAfter) {
            metrics.flush();
            return step;
          }
        }
        metrics.flush();
        bar.finish();
        return step;
      }
    }
  }

  /**
   * Fills batch with n windows and weights with 1 for every position that predicts a real token;
   * returns whether any window is padded.
   */
  private static boolean fill(Windows windows, int n, int[] window, int[] batch, float[] weights) {
    int t = window.length;
    boolean padded = false;
    for (int i = 0; i < n; i++) {
      int valid = windows.next(window);
      System.arraycopy(window, 0, batch, i * t, t);
      for (int j = 0; j < t - 1; j++) {
        weights[i * (t - 1) + j] = j + 1 < valid ? 1 : 0;
      }
      padded |= valid < t;
    }
    return padded;
  }

  /** Forward and backward over the micro-batches of one step; returns the step's loss. */
  private double backward(LlamaModel model, NDManager scratch, int[][] ids, float[][] masks, int b, int t) {
    double lossSum = 0;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      for (int micro = 0; micro < ids.length; micro++) {
        NDArray x = scratch.create(ids[micro], new Shape(b, t));
        NDArray w = masks[micro] == null ? null : scratch.create(masks[micro], new Shape(b, t - 1));
        NDArray loss = LlamaModel.loss(model.forward(x, Hooks.NONE), x, w).div(ids.length);
        gc.backward(loss);
        lossSum += loss.getFloat();
      }
    }
    return lossSum;
  }

  /** Sets every gradient to exactly 0 (multiplying by 0 would keep a NaN). */
  private static void zeroGradients(LlamaModel model, NDManager scratch) {
    for (NDArray p : model.parameters().values()) {
      NDArray g = p.getGradient();
      g.attach(scratch);
      g.set(new ai.djl.ndarray.index.NDIndex("..."), 0);
    }
  }

  /** Scales gradients so their global L2 norm is at most clip; returns the norm before clipping. */
  private double clipGradients(LlamaModel model, NDManager scratch) {
    List<NDArray> grads = new ArrayList<>();
    double sq = 0;
    for (NDArray p : model.parameters().values()) {
      NDArray g = p.getGradient();
      g.attach(scratch);
      grads.add(g);
      sq += g.square().sum().getFloat();
    }
    double norm = Math.sqrt(sq);
    if (config.clip() > 0) {
      double coef = config.clip() / (norm + 1e-6);
      if (coef < 1) {
        for (NDArray g : grads) {
          g.muli(coef);
        }
      }
    }
    return norm;
  }

  /** Mean next-token loss over the first eval windows of the test split (plain stream order). */
  private double evaluate(LlamaModel model, NDManager root, int padId) throws IOException {
    Path test = corpus.resolve("test");
    if (config.evalWindows() == 0 || !Files.isDirectory(test)) {
      return Double.NaN;
    }
    int b = config.batchSize();
    int t = config.context();
    double sum = 0;
    double count = 0;
    try (Windows w = windows.open(test, config, padId, false, WindowPosition.START); NDManager scratch = root.newSubManager()) {
      int[] window = new int[t];
      int done = 0;
      while (done < config.evalWindows()) {
        int n = Math.min(b, config.evalWindows() - done);
        int[] batch = new int[n * t];
        float[] weights = new float[n * (t - 1)];
        fill(w, n, window, batch, weights);
        NDArray ids = scratch.create(batch, new Shape(n, t));
        NDArray wt = scratch.create(weights, new Shape(n, t - 1));
        float mean = LlamaModel.loss(model.forward(ids, Hooks.NONE), ids, wt).getFloat();
        double c = 0;
        for (float x : weights) {
          c += x;
        }
        sum += mean * c;
        count += c;
        done += n;
      }
    }
    return sum / count;
  }

  private void writeCheckpoint(RunDirectory dir, LlamaModel model, AdamW adam, TrainerState state, String tokenizer)
      throws IOException {
    Path target = dir.checkpoint(state.step());
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    if (Files.exists(tmp)) {
      try (var s = Files.walk(tmp)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(tmp);
    Checkpoint.write(tmp, model, tokenizer);
    SafeTensors.write(tmp.resolve(TrainerState.OPTIMIZER), adam.state());
    state.write(tmp);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Every shard the manifest promises must be there (a lost shard would silently shrink the corpus). */
  private void checkShards(CorpusManifest manifest, String split) {
    int expected = manifest.split(split).shards();
    for (int i = 0; i < expected; i++) {
      Path shard = corpus.resolve(split).resolve(String.format("part-%05d.parquet", i));
      if (!Files.isRegularFile(shard)) {
        throw new IllegalArgumentException(shard + ": missing shard (" + Manifest.FILE + " lists " + expected + " shards for " + split + ")");
      }
    }
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** metrics.csv: one row per step; a resumed run first drops the rows after its checkpoint. */
  static final class Metrics {
    static final String HEADER = "step,tokens,loss,lr,grad_norm,tokens_per_s,eval_loss";
    private final BufferedWriter out;

    Metrics(Path file, long resumeStep) throws IOException {
      List<String> keep = new ArrayList<>();
      keep.add(HEADER);
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file)) {
          if (!line.isEmpty() && Character.isDigit(line.charAt(0)) && Long.parseLong(line.substring(0, line.indexOf(','))) <= resumeStep) {
            keep.add(line);
          }
        }
      }
      Files.write(file, keep);
      out = Files.newBufferedWriter(file, StandardOpenOption.APPEND);
    }

    void append(long step, long tokens, double loss, double lr, double gradNorm, double rate, Double eval) throws IOException {
      out.write(String.format(java.util.Locale.ROOT, "%d,%d,%.6f,%.6g,%.6f,%.1f,%s%n", step, tokens, loss, lr, gradNorm, rate,
          eval == null ? "" : String.format(java.util.Locale.ROOT, "%.6f", eval)));
    }

    void flush() throws IOException {
      out.flush();
    }
  }
}
