package org.arbor.ngram;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.arbor.config.ConfigNode;
import org.arbor.corpus.Document;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Single-thread sampling speed of an N-gram preset, in tokens per second: a warm-up, then several
 * timed rounds of {@link NgramSampler#sample}, reporting the median round. For comparison it also
 * times the same preset with a single context table (all sampling data in cache), which is the
 * ceiling the many-table preset can approach.
 *
 * <p>Usage: {@code NgramSamplingBenchmark [preset.yaml] [seconds per round] [rounds]}; the preset
 * defaults to conf/ngram/ukp-released.yaml under $ARBOR_ROOT or the nearest enclosing directory
 * that has conf/.
 */
public final class NgramSamplingBenchmark {
  private NgramSamplingBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path preset = args.length > 0 ? Paths.get(args[0]) : defaultPreset();
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    String text = Files.readString(preset);
    NgramProcess process = new NgramProcess(new NgramSpec(ConfigNode.parse(preset.toString(),
        new StringReader(text))));
    NgramProcess single = new NgramProcess(new NgramSpec(ConfigNode.parse(
        preset + " (single table)", new StringReader(withTableCount(text, 1)))));
    System.out.printf("preset %s: %d tables, %d content tokens, orders %s%n", preset,
        process.spec().tableCount, process.spec().contentTokens,
        Arrays.toString(process.spec().orders));
    double many = run("preset (" + process.spec().tableCount + " tables)", process, seconds, rounds);
    double one = run("single table", single, seconds, rounds);
    System.out.printf("ratio preset / single table: %.2f%n", many / one);
  }

  /** The median over rounds of tokens per second on this thread. */
  static double run(String label, NgramProcess process, double seconds, int rounds) {
    NgramSampler sampler = new NgramSampler(process);
    long seed = 20260306L;
    process.tables(seed); // table construction is not part of sampling
    long[] next = {0};
    double[] sink = {0};
    round(sampler, seed, next, sink, Math.max(2.0, seconds)); // warm-up: JIT and caches
    double[] rates = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      rates[r] = round(sampler, seed, next, sink, seconds);
    }
    double[] sorted = rates.clone();
    Arrays.sort(sorted);
    double median = sorted[rounds / 2];
    StringBuilder all = new StringBuilder();
    for (double x : rates) {
      all.append(String.format(" %.1f", x / 1e6));
    }
    System.out.printf("%-22s median %.1fM tokens/s per thread (rounds:%s; checksum %.3g)%n", label,
        median / 1e6, all, sink[0]);
    return median;
  }

  private static double round(NgramSampler sampler, long seed, long[] next, double[] sink,
      double seconds) {
    long tokens = 0;
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    long now;
    do {
      for (int i = 0; i < 64; i++) {
        Document d = sampler.sample(seed, next[0]++, 0);
        tokens += d.length();
        sink[0] += d.logProb() * 1e-12;
      }
      now = System.nanoTime();
    } while (now < deadline);
    return tokens / ((now - start) * 1e-9);
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
