package org.arbor.ngram;

import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentBuffer;
import org.arbor.corpus.DocumentSampler;
import org.arbor.random.Rng;

/**
 * Samples N-gram documents. Before each token it draws a context order n, hashes the last
 * min(n, position) tokens of the current sentence (never across sentences) into a table and draws
 * the token from that table. Contexts are hashed with a polynomial prefix hash, so any suffix hash
 * costs O(1). The document's log-probability is the exact marginal over the order draws and the
 * sentence lengths: the next-token distribution a perfect model would predict.
 */
final class NgramSampler implements DocumentSampler {
  static final long PURPOSE = 0x4E4752414DL; // "NGRAM"
  private static final long BASE = 0x100000001B3L * 2 + 1;

  private final NgramSpec spec;
  private final NgramProcess process;
  private final DocumentBuffer out = new DocumentBuffer();
  private final long[] prefix;
  private final long[] power;
  private final int[] orders;

  NgramSampler(NgramProcess process) {
    this.process = process;
    this.spec = process.spec;
    int max = spec.maxSentenceLength() + 1;
    prefix = new long[max + 1];
    power = new long[max + 1];
    power[0] = 1;
    for (int i = 1; i <= max; i++) {
      power[i] = power[i - 1] * BASE;
    }
    orders = spec.orders;
  }

  /** Table chosen by the last m tokens of a sentence of length pos. */
  private static int table(long[] prefix, long[] power, int pos, int m, long salt, int tables) {
    long h = prefix[pos] - prefix[pos - m] * power[m];
    long x = Rng.mix64(h ^ salt ^ ((long) m << 48));
    return (int) (((x >>> 32) * tables) >>> 32);
  }

  @Override
  public Document sample(long seed, long baseDocument, int repetition) {
    if (repetition != 0) {
      throw new IllegalArgumentException("N-gram documents have no repetitions");
    }
    NgramProcess.Tables t = process.tables(seed);
    Rng rng = new Rng(seed, PURPOSE, baseDocument);
    out.clear();
    int eos = spec.contentTokens;
    int tables = spec.tableCount;
    double logLength = -Math.log(spec.lengthSpread);
    double logP = 0;
    int k = orders.length;
    for (int sentence = 0; sentence < spec.sentencesPerDocument; sentence++) {
      int length = spec.minLength + rng.nextInt(spec.lengthSpread);
      logP += logLength;
      for (int pos = 0; pos < length; pos++) {
        int j = k == 1 ? 0 : t.order.sample(rng);
        int table = table(prefix, power, pos, Math.min(orders[j], pos), t.salt, tables);
        int rank = t.alias[table].sample(rng);
        int token = t.perm == null ? rank : t.perm[table][rank];
        logP -= t.exponent[table] * t.logRank[rank] + t.logNorm[table];
        prefix[pos + 1] = prefix[pos] * BASE + token + 1;
        out.add(token, 0, 0, 0, 0, sentence, 0, orders[j]);
      }
      out.add(eos, 1, 0, 0, 0, sentence, -1, 0);
    }
    return out.build(logP, false, true);
  }

  /**
   * ln P(tokens) with the order draws and sentence lengths summed out: the exact next-token
   * distribution a perfect model would predict, i.e. the entropy floor of the process.
   */
  double marginalLogProb(long seed, int[] tokens) {
    NgramProcess.Tables t = process.tables(seed);
    int n = spec.contentTokens;
    int eos = n;
    int k = orders.length;
    double logP = 0;
    int pos = 0;
    for (int token : tokens) {
      if (token == eos) {
        if (pos < spec.minLength || pos > spec.maxSentenceLength()) {
          return Double.NEGATIVE_INFINITY;
        }
        logP -= Math.log(spec.lengthSpread); // P(length) summed over the hazards of this sentence
        pos = 0;
        continue;
      }
      if (token < 0 || token > n || pos > spec.maxSentenceLength() - 1) {
        return Double.NEGATIVE_INFINITY;
      }
      double p = 0;
      for (int i = 0; i < k; i++) {
        int ti = table(prefix, power, pos, Math.min(orders[i], pos), t.salt, spec.tableCount);
        p += t.orderProb[i] * t.probability(ti, token);
      }
      logP += Math.log(p);
      prefix[pos + 1] = prefix[pos] * BASE + token + 1;
      pos++;
    }
    return logP;
  }
}
