package org.arbor.ngram;

import java.io.IOException;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.arbor.config.ConfigNode;
import org.arbor.corpus.DocumentBuffer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Single-thread sampling speed of an N-gram preset, in tokens per second of the thread's CPU time:
 * a warm-up, then several timed rounds of {@link NgramSampler#sampleInto}, reporting the median round.
 * For comparison it also times the same preset with a single context table (all sampling data in
 * cache), which is the ceiling the many-table preset can approach; the two alternate round by
 * round so that both see the same machine load.
 *
 * <p>Usage: {@code NgramSamplingBenchmark [preset.yaml] [seconds per round] [rounds] [seed]}. The
 * preset defaults to conf/ngram/ukp-released.yaml under $ARBOR_ROOT or the nearest enclosing
 * directory that has conf/. How often draws leave the tables' cached heads depends on the seed's
 * tables (and the single table's speed on its exponent), so compare several seeds.
 */
public final class NgramSamplingBenchmark {
  static final long DEFAULT_SEED = 20260306L;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private NgramSamplingBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path preset = args.length > 0 ? Paths.get(args[0]) : defaultPreset();
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    long seed = args.length > 3 ? Long.parseLong(args[3]) : DEFAULT_SEED;
    String text = Files.readString(preset);
    NgramProcess process = new NgramProcess(new NgramSpec(ConfigNode.parse(preset.toString(),
        new StringReader(text))));
    NgramProcess single = new NgramProcess(new NgramSpec(ConfigNode.parse(
        preset + " (single table)", new StringReader(withTableCount(text, 1)))));
    System.out.printf("preset %s: %d tables, %d content tokens, orders %s; seed %d, single"
        + " table's exponent %.3f%n", preset, process.spec().tableCount,
        process.spec().contentTokens, Arrays.toString(process.spec().orders), seed,
        single.tables(seed).exponent(0));
    Bench many = new Bench("preset (" + process.spec().tableCount + " tables)", process, seed,
        rounds);
    Bench one = new Bench("single table", single, seed, rounds);
    many.round(Math.max(2.0, seconds), false); // warm-up: JIT and caches
    one.round(Math.max(2.0, seconds), false);
    double[] ratio = new double[rounds];
    for (int r = 0; r < rounds; r++) { // interleaved, so both see the same machine load
      ratio[r] = many.round(seconds, true) / one.round(seconds, true);
    }
    many.report();
    one.report();
    System.out.printf("ratio preset / single table: median %.2f%n", median(ratio));
  }

  static double median(double[] x) {
    double[] sorted = x.clone();
    Arrays.sort(sorted);
    int m = sorted.length;
    return m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
  }

  /** Timed rounds of one process on this thread, recording tokens per second. */
  static final class Bench {
    final String label;
    final NgramSampler sampler;
    final long seed;
    final double[] rates;
    final double[] wall;
    int done;
    long next;
    double sink;
    final DocumentBuffer buffer = new DocumentBuffer();

    Bench(String label, NgramProcess process, long seed, int rounds) {
      this.label = label;
      this.seed = seed;
      this.sampler = new NgramSampler(process);
      this.rates = new double[rounds];
      this.wall = new double[rounds];
      process.tables(seed); // table construction is not part of sampling
    }

    /**
     * Samples for about the given time; returns (and if asked, records) tokens per second of this
     * thread's CPU time, which unlike wall time does not count time the thread spent descheduled
     * on a busy machine.
     */
    double round(double seconds, boolean record) {
      long tokens = 0;
      long start = System.nanoTime();
      long cpuStart = THREADS.getCurrentThreadCpuTime();
      long deadline = start + (long) (seconds * 1e9);
      long now;
      do {
        for (int i = 0; i < 64; i++) {
          buffer.clear();
          sink += sampler.sampleInto(seed, next++, 0, buffer) * 1e-12;
          tokens += buffer.length();
        }
        now = System.nanoTime();
      } while (now < deadline);
      long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
      double rate = tokens / (cpu * 1e-9);
      if (record) {
        rates[done] = rate;
        wall[done++] = tokens / ((now - start) * 1e-9);
      }
      return rate;
    }

    void report() {
      double[] r = Arrays.copyOf(rates, done);
      StringBuilder all = new StringBuilder();
      for (double x : r) {
        all.append(String.format(" %.1f", x / 1e6));
      }
      System.out.printf("%-22s median %.1fM tokens/s per thread (CPU time; rounds:%s; wall-clock"
          + " median %.1fM; checksum %.3g)%n", label, median(r) / 1e6, all,
          median(Arrays.copyOf(wall, done)) / 1e6, sink);
    }
  }

  /** The preset's YAML with tables.count replaced (everything else as written). */
  @SuppressWarnings("unchecked")
  static String withTableCount(String yaml, int count) {
    Yaml y = new Yaml(new SafeConstructor(new LoaderOptions()));
    Map<String, Object> root = (Map<String, Object>) y.load(yaml);
    Map<String, Object> tables = new LinkedHashMap<>((Map<String, Object>) root.get("tables"));
    tables.put("count", count);
    root.put("tables", tables);
    return y.dump(root);
  }

  /** conf/ngram/ukp-released.yaml under $ARBOR_ROOT, else under the nearest directory with conf/. */
  static Path defaultPreset() {
    String env = System.getenv("ARBOR_ROOT");
    if (env != null && !env.isEmpty()) {
      Path p = Paths.get(env, "conf", "ngram", "ukp-released.yaml");
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("conf").resolve("ngram").resolve("ukp-released.yaml");
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "cannot find conf/ngram/ukp-released.yaml: set ARBOR_ROOT or pass the preset's path");
  }
}
