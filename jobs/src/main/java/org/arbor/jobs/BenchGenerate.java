package org.arbor.jobs;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.SparkSession;
import org.arbor.config.ConfigNode;
import org.arbor.corpus.CorpusManifest;
import org.arbor.corpus.CorpusSpec;
import org.arbor.corpus.DocumentBuffer;
import org.arbor.corpus.DocumentSampler;
import org.arbor.corpus.DocumentSource;
import org.arbor.jobs.corpus.CorpusWriter;
import org.arbor.jobs.corpus.OneThreadWrite;
import org.arbor.random.Rng;

/**
 * bench-generate [--tokens 20000000] [--seconds 2] [--out DIR] [--only sampling|generate]
 *                [--placement shuffled|adjacent] [--rounds 1]
 * Prints sampling tokens/s per thread (1 thread and all cores) for the ukp-released PCFG and N-gram
 * presets against the reference generator's per-thread rates, then generate-to-Parquet tokens/s,
 * per core, with the JVM's peak heap and the process's peak resident memory. Both rates are also
 * given per CPU-second (thread CPU time for sampling, the JVM's CPU time for generating), which a
 * shared machine distorts far less than wall time. Each generate figure comes after a corpus a
 * tenth of the size (printed as "cold"), which pays for compiling the job's code; --rounds N
 * generates the measured corpus N times (the JIT keeps improving the write loop over the first few
 * hundred million tokens, so later rounds come closer to a long job's steady rate).
 *
 * <p>Sampling is timed as the reference samples: the repetitions of a base document one after
 * another, so its latents are drawn once for all of them. Generate samples in stream order, where
 * repetitions are scattered and nearly every document redraws its base document's latents; the
 * sampling rate in that order is printed too, as the part of generate's cost that is sampling, and
 * so is one shard task's loop on one thread without Spark, to show what writing adds per token.
 */
public final class BenchGenerate {
  /** The reference (Rust, rayon) generator on a 2-core machine of this kind, tokens/s per thread. */
  private static final double[] REFERENCE = {7.9e6, 15.2e6}; // PCFG, N-gram (the presets' order)

  private BenchGenerate() {}

  public static void run(String[] argv) throws Exception {
    Args args = new Args("bench-generate", argv, Set.of());
    long tokens = Long.parseLong(args.get("tokens", "20000000"));
    double seconds = Double.parseDouble(args.get("seconds", "2"));
    String only = args.get("only", "");
    String out = args.get("out", "");
    String placement = args.get("placement", "shuffled");
    int rounds = args.intValue("rounds", 1);
    if (rounds < 1) {
      throw args.usage("--rounds must be at least 1, got " + rounds);
    }
    args.finish();
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf("machine: %d cores, max heap %d MB%n", cores, Runtime.getRuntime().maxMemory() >> 20);
    String[][] presets = {{"pcfg", "conf/grammars/ukp-released.yaml"}, {"ngram", "conf/ngram/ukp-released.yaml"}};
    double[] perThread = new double[2];
    double[] perCpuSecond = new double[2];
    double[] streamOrder = new double[2];
    if (!only.equals("generate")) {
      for (int i = 0; i < presets.length; i++) {
        DocumentSource p = CorpusSpec.loadProcess(ConfigNode.parse("bench", new java.io.StringReader("{}")), Path.of(presets[i][1]));
        double[] one = sampling(p, 1, seconds, false);
        double all = sampling(p, cores, seconds, false)[0];
        streamOrder[i] = sampling(p, 1, seconds, true)[0];
        double ref = REFERENCE[i];
        perThread[i] = one[0];
        perCpuSecond[i] = one[1];
        System.out.printf("sampling %-5s: %6.1fM tokens/s on 1 thread (%.1fM per CPU-second), %6.1fM tokens/s per"
            + " thread on %d threads; reference %.1fM/thread, ratio %.2f (target >= 2)%n", presets[i][0], one[0] / 1e6,
            one[1] / 1e6, all / cores / 1e6, cores, ref / 1e6, one[0] / ref);
        System.out.printf("sampling %-5s: %6.1fM tokens/s on 1 thread in stream order (repetitions scattered, as generate"
            + " samples them)%n", presets[i][0], streamOrder[i] / 1e6);
        Path shard = Files.createTempFile("arbor-bench-shard", ".parquet");
        try {
          double[] ns = OneThreadWrite.nanosPerToken(p, Math.max(1_000_000, tokens / 2), shard, 5,
              Sessions.hadoopConfiguration());
          double adjacentNs = 1e9 / one[0];
          System.out.printf("write   %-5s: %6.1f ns/token to one shard on 1 thread, no Spark = %.1f sampling in stream order"
              + " + %.1f writing; against sampling with repetitions adjacent (%.1f ns/token): ratio %.2f, %.2f if writing"
              + " were free%n", presets[i][0], ns[0], ns[1], ns[0] - ns[1], adjacentNs, adjacentNs / ns[0],
              adjacentNs / ns[1]);
        } finally {
          Files.deleteIfExists(shard);
          Files.deleteIfExists(shard.resolveSibling("." + shard.getFileName() + ".crc"));
        }
      }
    }
    if (only.equals("sampling")) {
      return;
    }
    SparkSession spark = Sessions.start("arbor-bench-generate");
    Path dir = out.isEmpty() ? Files.createTempDirectory("arbor-bench") : Path.of(out);
    for (int i = 0; i < presets.length; i++) {
      // The first, smaller corpus pays the JIT's compilation of the job (excluded from the sampling
      // rates too); the second is the measured one.
      long[] sizes = new long[1 + rounds];
      Arrays.fill(sizes, tokens);
      sizes[0] = Math.max(1, tokens / 10);
      for (int round = 0; round < sizes.length; round++) {
        long n = sizes[round];
        double tokensPerDoc = i == 0 ? 96 : 16 * 60.5;
        long base = Math.max(1, Math.round(n / tokensPerDoc / (i == 0 ? 10 : 1)));
        String yaml = "name: bench-" + presets[i][0] + "\nprocess: " + Path.of(presets[i][1]).toAbsolutePath()
            + "\nseed: 1\nbase_documents: {train: " + base + ", test: 0}\nshards: {train: " + (2 * cores)
            + "}\nplacement: " + placement + "\n";
        CorpusSpec spec = new CorpusSpec(ConfigNode.parse("bench.yaml", new java.io.StringReader(yaml)), Path.of("."));
        Path target = dir.resolve("bench-" + presets[i][0]);
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        new CorpusWriter(spark, spec).write(target.toString(), true);
        double s = (System.nanoTime() - t0) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        long written = CorpusManifest.read(target).tokens("train");
        double rate = written / s;
        String run = round == 0 ? "cold" : rounds == 1 ? "warm" : "warm " + round;
        double ref = REFERENCE[i];
        System.out.printf("generate %-5s (%s, %s): %,d tokens to Parquet in %.1f s: %.2fM tokens/s, %.2fM per core;"
            + " ratio to sampling per thread %.2f (target >= 0.5), to sampling in stream order %.2f; %.2fx the"
            + " reference's sampling per thread%n",
            presets[i][0], placement, run, written, s, rate / 1e6, rate / cores / 1e6,
            perThread[i] == 0 ? Double.NaN : rate / cores / perThread[i],
            streamOrder[i] == 0 ? Double.NaN : rate / cores / streamOrder[i], rate / cores / ref);
        // On a shared machine wall time counts other processes' use of the cores; CPU time does not.
        System.out.printf("generate %-5s (%s, %s): %.1f CPU-seconds, %.2fM tokens per CPU-second;"
            + " ratio to sampling per CPU-second %.2f%n", presets[i][0], placement, run, cpu, written / cpu / 1e6,
            perCpuSecond[i] == 0 ? Double.NaN : written / cpu / perCpuSecond[i]);
      }
    }
    System.out.printf("memory: heap pools' peaks summed %d MB (an upper bound; max heap %d MB), peak resident %s%n", peakHeapMb(),
        Runtime.getRuntime().maxMemory() >> 20, peakResident());
  }

  /**
   * Tokens/s summed over threads, each sampling its own documents for the given time, and tokens
   * per CPU-second of one thread (the rate a core gives when it is not shared). In stream order
   * each document is a repetition of a pseudo-random base document, as after the corpus shuffle.
   */
  private static double[] sampling(DocumentSource p, int threads, double seconds, boolean streamOrder)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      double[] rounds = new double[5];
      double[] cpuRounds = new double[5];
      for (int round = -1; round < rounds.length; round++) { // round -1 warms up the JIT
        List<Future<long[]>> fs = new ArrayList<>();
        final long deadline = System.nanoTime() + (long) (seconds * 1e9);
        for (int t = 0; t < threads; t++) {
          final long first = 1_000_000L * t;
          fs.add(pool.submit(() -> {
            DocumentSampler s = p.newSampler();
            DocumentBuffer buffer = new DocumentBuffer();
            long n = 0;
            long docs = 0;
            long start = System.nanoTime();
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            int reps = p.repetitions();
            while (System.nanoTime() < deadline) {
              for (int k = 0; k < 64; k++, docs++) {
                buffer.clear();
                long id = streamOrder ? Rng.mix64(docs) >>> 24 : docs;
                s.sampleInto(1, first + id / reps, (int) (id % reps), buffer);
                n += buffer.length();
              }
            }
            return new long[] {n, System.nanoTime() - start, THREADS.getCurrentThreadCpuTime() - cpu0};
          }));
        }
        double total = 0;
        double perCpu = 0;
        for (Future<long[]> f : fs) {
          long[] r = f.get();
          total += r[0] / (r[1] / 1e9);
          perCpu += r[0] / (r[2] / 1e9) / threads;
        }
        if (round >= 0) {
          rounds[round] = total;
          cpuRounds[round] = perCpu;
        }
      }
      Arrays.sort(rounds);
      Arrays.sort(cpuRounds);
      return new double[] {rounds[rounds.length / 2], cpuRounds[cpuRounds.length / 2]};
    } finally {
      pool.shutdown();
    }
  }

  private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** CPU time of the whole JVM (all threads: tasks, JIT, GC), in nanoseconds. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long peakHeapMb() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak >> 20;
  }

  private static String peakResident() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return line.substring(6).trim();
        }
      }
    } catch (java.io.IOException e) {
      // not Linux: no figure
    }
    return "n/a";
  }
}
