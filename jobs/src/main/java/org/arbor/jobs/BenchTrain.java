package org.arbor.jobs;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.arbor.model.Hooks;
import org.arbor.model.LlamaModel;
import org.arbor.model.ModelConfig;
import org.arbor.train.AdamW;

/**
 * bench-train [--steps 5] [--models quickstart,paper] [--python .venv/bin/python]
 * Prints training tokens/s, model FLOPs utilisation (model FLOPs per second over the fp32 matmul
 * rate this process measures) and peak memory for the quickstart and paper models, and, where a
 * Python with torch and transformers is at hand, the same training step in transformers on the
 * same machine and the ratio.
 */
public final class BenchTrain {
  private BenchTrain() {}

  public static void run(String[] argv) throws Exception {
    Args args = new Args("bench-train", argv, Set.of());
    int steps = args.intValue("steps", 5);
    String python = args.get("python", Files.isExecutable(Path.of(".venv/bin/python")) ? ".venv/bin/python" : "");
    String only = args.get("models", "quickstart,paper");
    args.finish();
    double matmul = matmulRate();
    System.out.printf("fp32 matmul rate (2048^3, this process): %.1f GFLOP/s%n", matmul / 1e9);
    Object[][] models = {{"quickstart", "conf/models/quickstart.yaml", 32, 256}, {"paper", "conf/models/paper.yaml", 8, 512}};
    for (Object[] m : models) {
      if (!java.util.List.of(only.split(",")).contains((String) m[0])) {
        continue;
      }
      ModelConfig c = ModelConfig.load(Path.of((String) m[1]));
      int b = (Integer) m[2];
      int t = (Integer) m[3];
      double rate = trainRate(c, b, t, steps);
      // Training FLOPs per token: 6 per parameter (forward + backward) plus attention scores and mixing.
      double flopsPerToken = 6.0 * c.parameterCount() + 12.0 * c.layers() * t * c.hidden();
      double mfu = rate * flopsPerToken / matmul;
      System.out.printf("%-10s %,d parameters, batch %d x %d: %,.0f tokens/s, %.1f GFLOP/s model, MFU %.1f%% (target >= 40%% for paper)%n",
          m[0], c.parameterCount(), b, t, rate, rate * flopsPerToken / 1e9, 100 * mfu);
      if (!python.isEmpty()) {
        double ref = transformersRate(python, c, b, t, steps);
        System.out.printf("%-10s transformers (torch, same machine): %,.0f tokens/s; Arbor / transformers = %.2f%n", m[0], ref, rate / ref);
      }
    }
    System.out.printf("peak resident memory of this process: %s%n", peakResident());
  }

  private static double matmulRate() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.randomNormal(new Shape(2048, 2048));
      NDArray b = m.randomNormal(new Shape(2048, 2048));
      a.matMul(b).close();
      double best = 0;
      for (int i = 0; i < 5; i++) {
        long t0 = System.nanoTime();
        NDArray c = a.matMul(b);
        c.getFloat(0, 0); // force completion
        double s = (System.nanoTime() - t0) / 1e9;
        c.close();
        best = Math.max(best, 2.0 * 2048 * 2048 * 2048 / s);
      }
      return best;
    }
  }

  private static double trainRate(ModelConfig c, int b, int t, int steps) {
    try (NDManager root = NDManager.newBaseManager(); LlamaModel model = LlamaModel.initialise(c, root, 1);
        AdamW adam = new AdamW(root, model.parameters(), 0.9, 0.95, 1e-8, 0)) {
      for (NDArray p : model.parameters().values()) {
        p.setRequiresGradient(true);
      }
      int[] ids = new int[b * t];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = (int) ((i * 2654435761L) % c.vocabSize());
      }
      double best = 0;
      for (int s = 0; s <= steps; s++) {
        long t0 = System.nanoTime();
        try (NDManager scratch = root.newSubManager()) {
          NDArray x = scratch.create(ids, new Shape(b, t));
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(LlamaModel.loss(model.forward(x, Hooks.NONE), x, null));
          }
          adam.step(model.parameters(), 1e-4, scratch);
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        if (s > 0) { // step 0 warms up
          best = Math.max(best, b * t / sec);
        }
      }
      return best;
    }
  }

  private static double transformersRate(String python, ModelConfig c, int b, int t, int steps) throws Exception {
    String script = String.join("\n",
        "import time, torch",
        "from transformers import LlamaConfig, LlamaForCausalLM",
        "torch.manual_seed(0)",
        "cfg = LlamaConfig(vocab_size=" + c.vocabSize() + ", hidden_size=" + c.hidden() + ", intermediate_size=" + c.intermediate()
            + ", num_hidden_layers=" + c.layers() + ", num_attention_heads=" + c.heads() + ", num_key_value_heads=" + c.heads()
            + ", max_position_embeddings=" + c.maxPositions() + ", rms_norm_eps=" + c.rmsNormEps() + ", tie_word_embeddings=False)",
        "model = LlamaForCausalLM(cfg)",
        "opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.95))",
        "ids = torch.randint(0, " + c.vocabSize() + ", (" + b + ", " + t + "))",
        "best = 0",
        "for s in range(" + (steps + 1) + "):",
        "    t0 = time.perf_counter()",
        "    loss = model(ids, labels=ids).loss",
        "    loss.backward(); opt.step(); opt.zero_grad()",
        "    dt = time.perf_counter() - t0",
        "    if s > 0: best = max(best, " + (b * t) + " / dt)",
        "print(best)");
    Path f = Files.createTempFile("arbor-bench", ".py");
    Files.writeString(f, script);
    Process p = new ProcessBuilder(python, f.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor();
    Files.delete(f);
    String[] lines = out.split("\n");
    return Double.parseDouble(lines[lines.length - 1]);
  }

  static String peakResident() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return line.substring(6).trim();
      }
    }
    return "n/a";
  }
}
