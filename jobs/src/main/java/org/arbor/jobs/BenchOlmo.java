package org.arbor.jobs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import org.arbor.model.CausalLm;
import org.arbor.model.Hooks;
import org.arbor.model.Models;
import org.arbor.olmo.OlmoConfig;
import org.arbor.olmo.RandomOlmo;
import org.arbor.random.Rng;

/**
 * bench-olmo [--dir /tmp/arbor-bench-olmo] [--tokens 2048] [--dtype BF16|F32] [--repeats 2]
 *            [--probe-tokens 65536] [--revisions 351] [--python .venv/bin/python] [--layers 16] [--keep]
 * Writes a true-size OLMo-1B (1.18B parameters) with random weights under --dir (2.4 GB in bf16; no
 * download), loads it, runs a forward pass over --tokens tokens, and prints load time, forward
 * tokens/s, peak heap and peak resident memory; where a Python with transformers is at hand, the
 * same checkpoint and tokens in transformers (float32, its default attention) in the same run, the
 * ratio and the largest logit difference at the last position. From the rate it derives the cost of
 * a revision for probes that run --probe-tokens tokens, and of --revisions revisions on this machine.
 * The checkpoint is deleted afterwards unless --keep. --layers below 16 makes a smaller stand-in
 * (OLMo-1B's widths, fewer blocks) for trying the job quickly.
 */
public final class BenchOlmo {
  private BenchOlmo() {}

  public static void run(String[] argv) throws Exception {
    Args args = new Args("bench-olmo", argv, Set.of("keep"));
    Path dir = Path.of(args.get("dir", "/tmp/arbor-bench-olmo"));
    int tokens = args.intValue("tokens", 2048);
    String dtype = args.get("dtype", "BF16");
    int repeats = args.intValue("repeats", 2);
    int probeTokens = args.intValue("probe-tokens", 65536);
    int revisions = args.intValue("revisions", 351);
    String python = args.get("python", Files.isExecutable(Path.of(".venv/bin/python")) ? ".venv/bin/python" : "");
    boolean keep = args.flag("keep");
    OlmoConfig full = OlmoConfig.OLMO_1B;
    int layers = args.intValue("layers", full.layers());
    args.finish();
    if (layers < 1 || layers > full.layers()) {
      throw args.usage("--layers must lie in 1.." + full.layers());
    }
    OlmoConfig c = new OlmoConfig(full.vocabSize(), full.hidden(), layers, full.heads(), full.intermediate(),
        full.maxPositions(), full.ropeTheta(), full.clipQkv(), full.tied());
    if (tokens < 1 || tokens > c.maxPositions()) {
      throw args.usage("--tokens must lie in 1.." + c.maxPositions());
    }
    if (Files.exists(dir) && !Files.isRegularFile(dir.resolve("config.json"))) {
      throw args.usage("--dir " + dir + " exists and is not a checkpoint this job wrote");
    }
    try {
      long t0 = System.nanoTime();
      RandomOlmo.write(dir, c, dtype, 0.02, 1);
      System.out.printf("wrote OLMo-1B%s (%,d parameters, %s) to %s: %.2f GB in %.0f s%n", layers == full.layers() ? "" : " with " + layers + " layers", c.parameterCount(), dtype, dir,
          Files.size(dir.resolve("model.safetensors")) / 1e9, (System.nanoTime() - t0) / 1e9);
      int[] ids = new int[tokens];
      Rng rng = new Rng(1, 0x544F4B53L, 0); // "TOKS"
      for (int i = 0; i < ids.length; i++) {
        ids[i] = rng.nextInt(50280); // the ids the real tokenizer uses
      }
      double[] arbor = arbor(dir, ids, repeats);
      double rate = arbor[1];
      System.out.printf("Arbor: load %.1f s; forward [1, %d]: %,.0f tokens/s (best of %d, first %.1f s); peak heap %.0f MB (sum of pool peaks)"
          + " of -Xmx %.0f MB; peak resident %.2f GB%n", arbor[0], tokens, rate, repeats, arbor[2], peakHeapMb(),
          Runtime.getRuntime().maxMemory() / 1e6, peakResidentKb() / 1e6);
      if (!python.isEmpty()) {
        String[] ref = transformers(python, dir, ids, repeats);
        double refRate = Double.parseDouble(ref[1]);
        float[] refLast = floats(dir.resolve("last-logits.bin"));
        double diff = 0;
        for (int v = 0; v < refLast.length; v++) {
          diff = Math.max(diff, Math.abs(refLast[v] - lastLogits[v]));
        }
        System.out.printf("transformers %s (float32, same checkpoint and tokens): load %.1f s; %,.0f tokens/s; peak resident"
            + " %.2f GB%nArbor / transformers = %.2f (target >= 1); max |logit diff| at the last position %.2e%n",
            ref[3], Double.parseDouble(ref[0]), refRate, Double.parseDouble(ref[2]) / 1e6, rate / refRate, diff);
      }
      double perRevision = arbor[0] + probeTokens / rate;
      System.out.printf("probe cost: %,d forward tokens per revision -> %.0f s per revision (load + forward);"
          + " %d revisions: %.1f h on this machine%n", probeTokens, perRevision, revisions, revisions * perRevision / 3600);
    } finally {
      if (!keep && Files.isDirectory(dir)) {
        try (var walk = Files.walk(dir)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
        System.out.println("deleted " + dir);
      }
    }
  }

  private static float[] lastLogits;

  /** {load seconds, best tokens/s, first forward seconds}; keeps the last position's logits. */
  private static double[] arbor(Path dir, int[] ids, int repeats) throws Exception {
    try (NDManager root = NDManager.newBaseManager()) {
      long t0 = System.nanoTime();
      double load;
      double best = 0;
      double first = 0;
      try (CausalLm model = Models.load(dir, root)) {
        load = (System.nanoTime() - t0) / 1e9;
        System.out.printf("loaded in %.1f s; resident %.2f GB%n", load, residentKb() / 1e6);
        for (int r = 0; r < repeats; r++) {
          try (NDManager pass = root.newSubManager()) {
            long f0 = System.nanoTime();
            NDArray logits = model.forward(pass.create(ids, new Shape(1, ids.length)), Hooks.NONE);
            lastLogits = logits.get(new NDIndex("0, -1")).toFloatArray(); // forces completion
            double sec = (System.nanoTime() - f0) / 1e9;
            System.out.printf("forward %d: %.1f s%n", r, sec);
            first = r == 0 ? sec : first;
            best = Math.max(best, ids.length / sec);
          }
        }
      }
      return new double[] {load, best, first};
    }
  }

  /** {load seconds, best tokens/s, peak RSS kB, torch version}; writes the last position's logits. */
  private static String[] transformers(String python, Path dir, int[] ids, int repeats) throws Exception {
    Path tokens = dir.resolve("tokens.bin");
    ByteBuffer b = ByteBuffer.allocate(ids.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(ids);
    Files.write(tokens, b.array());
    String script = String.join("\n",
        "import sys, time, resource, numpy as np, torch",
        "from transformers import OlmoForCausalLM",
        "d = sys.argv[1]",
        "ids = torch.from_numpy(np.fromfile(d + '/tokens.bin', dtype='<i4').astype('int64'))[None]",
        "t0 = time.perf_counter()",
        "m = OlmoForCausalLM.from_pretrained(d, dtype=torch.float32).eval()",
        "load = time.perf_counter() - t0",
        "best = 0",
        "with torch.no_grad():",
        "    for r in range(" + repeats + "):",
        "        t0 = time.perf_counter()",
        "        out = m(ids).logits",
        "        dt = time.perf_counter() - t0",
        "        best = max(best, ids.shape[1] / dt)",
        "        print('transformers forward %d: %.1f s' % (r, dt), file=sys.stderr)",
        "out[0, -1].numpy().astype('<f4').tofile(d + '/last-logits.bin')",
        "print(load, best, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, torch.__version__ + '/' + "
            + "__import__('transformers').__version__ + ' ' + m.config._attn_implementation)");
    Path f = Files.createTempFile("arbor-bench-olmo", ".py");
    Files.writeString(f, script);
    Process p = new ProcessBuilder(python, f.toString(), dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    int rc = p.waitFor();
    Files.delete(f);
    if (rc != 0) {
      throw new JobException("transformers reference failed (exit " + rc + "): " + out);
    }
    String[] lines = out.split("\n");
    return lines[lines.length - 1].split(" ", 4);
  }

  private static float[] floats(Path file) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[b.remaining() / 4];
    b.asFloatBuffer().get(v);
    return v;
  }

  private static double peakHeapMb() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum / 1e6;
  }

  private static long peakResidentKb() throws Exception {
    return status("VmHWM:");
  }

  private static long residentKb() throws Exception {
    return status("VmRSS:");
  }

  private static long status(String key) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }
}
