package org.arbor.ngram;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.arbor.corpus.DocumentSampler;
import org.arbor.corpus.DocumentSource;
import org.arbor.corpus.Vocabulary;
import org.arbor.random.HeadTailTables;
import org.arbor.random.Rng;

/**
 * The N-gram baseline as a document source. The context tables are corpus-level randomness: they
 * depend on the seed only, are drawn once per JVM and shared read-only by all samplers.
 */
public final class NgramProcess implements DocumentSource {
  private static final long serialVersionUID = 1L;
  static final long TABLES_PURPOSE = 0x5441424C4553L; // "TABLES"
  /**
   * Each table's head is an alias table of 2^6 = 64 int columns (four cache lines) over ranks 0..62
   * and a marker for the tail. The heads of the preset's 1000 tables take 256 KB, which stays in
   * the L2 cache of current server cores (512 KB to 2 MB); the tails (4 KB a table) are read only
   * when the marker comes up: 3% to 11% of the preset's tokens, depending on the seed's tables.
   * Measured on a Zen 5 core (1 MB L2): 16 columns ran about 15% slower than 64 (more tail reads),
   * 128 columns about as fast as 64.
   */
  static final int HEAD_BITS = 6;
  final NgramSpec spec;
  private transient volatile Tables tables;
  private transient long tablesSeed;

  public NgramProcess(NgramSpec spec) {
    this.spec = spec;
  }

  public static NgramProcess load(Path file) {
    return new NgramProcess(NgramSpec.load(file));
  }

  public NgramSpec spec() {
    return spec;
  }

  /** The context tables of one seed. */
  public static final class Tables {
    final double[] exponent;
    /** Rank samplers of all tables (a cached head alias + a tail alias), see {@link HeadTailTables}. */
    final HeadTailTables ranks;
    final double[] logNorm;
    /** expNorm[2t] = exponent[t], expNorm[2t + 1] = logNorm[t]: one access per token. */
    final double[] expNorm;
    final double[] logRank;
    /** perm is applied before lookup: prob of token = P(rank of token in the table). */
    final int[][] rankOf;
    /** perm[table][rank index] = token, or null when all tables share the id ranking. */
    final int[][] perm;
    /** Order index sampler: one alias table over the order weights, 32 random bits a draw. */
    final HeadTailTables order;
    final double[] orderProb;
    final double[] logOrderProb;
    final long salt;

    static final long SHARE_PURPOSE = 0x5348415245L; // "SHARE"

    Tables(NgramSpec s, long seed) {
      Rng rng = new Rng(seed, TABLES_PURPOSE, 0);
      int n = s.contentTokens;
      exponent = new double[s.tableCount];
      ranks = new HeadTailTables(s.tableCount, n, HEAD_BITS);
      logNorm = new double[s.tableCount];
      expNorm = new double[2 * s.tableCount];
      perm = s.permutedTables ? new int[s.tableCount][] : null;
      rankOf = s.permutedTables ? new int[s.tableCount][] : null;
      logRank = new double[n];
      for (int i = 0; i < n; i++) {
        logRank[i] = Math.log(i + 1);
      }
      double[] w = new double[n];
      for (int t = 0; t < s.tableCount; t++) {
        exponent[t] = Math.max(s.exponentMu + s.exponentSigma * rng.nextGaussian(), s.exponentMin);
        for (int i = 0; i < n; i++) {
          w[i] = Math.exp(-exponent[t] * logRank[i]);
        }
        ranks.set(t, w);
        double z = 0;
        for (int i = n - 1; i >= 0; i--) {
          z += w[i];
        }
        logNorm[t] = Math.log(z);
        expNorm[2 * t] = exponent[t];
        expNorm[2 * t + 1] = logNorm[t];
        if (perm != null) {
          // Which tables permute has its own stream, so the tables of fully permuted presets are unchanged.
          boolean permute = s.permutedShare >= 1 || new Rng(seed, SHARE_PURPOSE, t).nextDouble() < s.permutedShare;
          perm[t] = rng.permutation(n);
          if (!permute) {
            for (int i = 0; i < n; i++) {
              perm[t][i] = i;
            }
          }
          rankOf[t] = new int[n];
          for (int i = 0; i < n; i++) {
            rankOf[t][perm[t][i]] = i;
          }
        }
      }
      order = HeadTailTables.single(s.orderWeights);
      orderProb = new double[s.orders.length];
      logOrderProb = new double[s.orders.length];
      double wz = 0;
      for (double x : s.orderWeights) {
        wz += x;
      }
      for (int j = 0; j < orderProb.length; j++) {
        orderProb[j] = s.orderWeights[j] / wz;
        logOrderProb[j] = Math.log(orderProb[j]);
      }
      salt = rng.nextLong();
    }

    /** The Zipf exponent of table t. */
    public double exponent(int t) {
      return exponent[t];
    }

    /** P(token | table t). */
    public double probability(int t, int token) {
      int rank = rankOf == null ? token : rankOf[t][token];
      return Math.exp(-exponent[t] * logRank[rank] - logNorm[t]);
    }
  }

  /**
   * Tables built in this JVM, by (config, seed): Spark deserializes a process for every task, and
   * in a profile of bench-generate's N-gram tasks (25M tokens each) rebuilding the preset's tables
   * took about 6% of their time. Tables are read-only, so tasks share them; a few are kept.
   */
  private static final Map<List<Object>, Tables> BUILT = new java.util.LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<List<Object>, Tables> eldest) {
      return size() > 4;
    }
  };

  /** The tables of a seed (cached for the last seed used, and per JVM). */
  public synchronized Tables tables(long seed) {
    if (tables == null || tablesSeed != seed) {
      List<Object> key = List.of(spec.config, seed);
      synchronized (BUILT) {
        tables = BUILT.get(key);
      }
      if (tables == null) {
        tables = new Tables(spec, seed);
        synchronized (BUILT) {
          BUILT.put(key, tables);
        }
      }
      tablesSeed = seed;
    }
    return tables;
  }

  /** ln P(tokens | seed's tables) with orders and lengths summed out (the process's entropy floor). */
  public double marginalLogProb(long seed, int[] tokens) {
    return new NgramSampler(this).marginalLogProb(seed, tokens);
  }

  /** A reusable scorer for {@link #marginalLogProb}, for scoring many documents on one thread. */
  public java.util.function.ToDoubleFunction<int[]> scorer(long seed) {
    NgramSampler s = new NgramSampler(this);
    return tokens -> s.marginalLogProb(seed, tokens);
  }

  @Override
  public DocumentSampler newSampler() {
    return new NgramSampler(this);
  }

  @Override
  public String kind() {
    return "ngram";
  }

  @Override
  public String name() {
    return spec.name;
  }

  @Override
  public Vocabulary vocabulary() {
    return spec.vocabulary;
  }

  @Override
  public List<String> categories() {
    return List.of("W", spec.vocabulary.name(spec.contentTokens).replaceAll("[\\[\\]]", ""));
  }

  @Override
  public int repetitions() {
    return 1;
  }

  @Override
  public Map<String, Object> config() {
    return spec.config;
  }

  @Override
  public String file() {
    return spec.file;
  }
}
