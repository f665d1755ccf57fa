package org.arbor.ngram;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.arbor.config.ConfigNode;
import org.arbor.random.Rng;

/** Shared helpers of the N-gram tests: loading specs and the context rule written out directly. */
final class NgramTestSupport {
  private NgramTestSupport() {}

  /** The repository root: $ARBOR_ROOT (set by surefire), else the nearest directory with conf/. */
  static Path root() {
    String env = System.getenv("ARBOR_ROOT");
    if (env != null && !env.isEmpty() && Files.isDirectory(Paths.get(env, "conf", "ngram"))) {
      return Paths.get(env);
    }
    for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("conf").resolve("ngram"))) {
        return d;
      }
    }
    throw new IllegalStateException("cannot find the repository's conf/ngram: set ARBOR_ROOT");
  }

  static Path presetFile() {
    return root().resolve("conf").resolve("ngram").resolve("ukp-released.yaml");
  }

  static NgramProcess preset() {
    return NgramProcess.load(presetFile());
  }

  static NgramSpec spec(String name, String yaml) {
    return new NgramSpec(ConfigNode.parse(name, new StringReader(yaml)));
  }

  static NgramProcess process(String name, String yaml) {
    return new NgramProcess(spec(name, yaml));
  }

  /**
   * The table that the context tokens[from, to) selects, computed from the definition (not from
   * the sampler's prefix hashes): the polynomial hash of the context's (token + 1) values, mixed
   * with the seed's salt and the context length, scaled to the number of tables.
   */
  static int table(NgramProcess.Tables t, int tables, int[] tokens, int from, int to) {
    long h = 0;
    for (int i = from; i < to; i++) {
      h = h * NgramSampler.BASE + tokens[i] + 1;
    }
    long m = to - from;
    long x = Rng.mix64(h ^ t.salt ^ (m << 48));
    return (int) (((x >>> 32) * tables) >>> 32);
  }

  /**
   * P(next token | the sentence so far) with the order summed out: tokens[start, pos) is the
   * sentence's history (start = index of its first token).
   */
  static double nextProbability(NgramProcess.Tables t, NgramSpec s, int[] tokens, int start,
      int pos, int token) {
    double p = 0;
    int len = pos - start;
    for (int j = 0; j < s.orders.length; j++) {
      int m = Math.min(s.orders[j], len);
      p += t.orderProb[j] * t.probability(table(t, s.tableCount, tokens, pos - m, pos), token);
    }
    return p;
  }
}
