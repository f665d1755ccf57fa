package org.arbor.ngram;

import java.util.Arrays;
import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentBuffer;
import org.arbor.corpus.DocumentSampler;
import org.arbor.random.HeadTailTables;
import org.arbor.random.Rng;

/**
 * Samples N-gram documents. Before each token it draws a context order n, hashes the last
 * min(n, position) tokens of the current sentence (never across sentences) into a table and draws
 * the token from that table. Contexts are hashed with a polynomial prefix hash, so any suffix hash
 * costs O(1). {@link Document#logProb} is ln P(tokens, lengths | the drawn orders);
 * {@link #marginalLogProb} sums the orders out: the next-token distribution a perfect model would
 * predict.
 *
 * <p>Each token takes one 64-bit random number: its high half draws the order, its low half the
 * rank from the head of the chosen table ({@link HeadTailTables}); a second number is drawn only
 * when the rank falls in the table's tail (3% to 11% of the preset's tokens, by seed). Keeping the
 * hot part of every table in 256 bytes, so that all of them stay in cache, is what makes 1000
 * tables nearly as fast as one.
 */
final class NgramSampler implements DocumentSampler {
  static final long PURPOSE = 0x4E4752414DL; // "NGRAM"
  /** Multiplier of the polynomial context hash (odd: multiplying by it loses no bits). */
  static final long BASE = 0x100000001B3L * 2 + 1;

  private final NgramSpec spec;
  private final NgramProcess process;
  private final long[] prefix;
  private final long[] power;
  private final int[] orders;
  /** The document's stream, reseeded per document (no allocation per document). */
  private final Rng stream = new Rng(0, PURPOSE, 0);

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
    return table(prefix[pos] - prefix[pos - m] * power[m], m, salt, tables);
  }

  /** Table chosen by the polynomial hash h of a context of m tokens. */
  private static int table(long h, int m, long salt, int tables) {
    long x = Rng.mix64(h ^ salt ^ ((long) m << 48));
    return (int) (((x >>> 32) * tables) >>> 32);
  }

  @Override
  public int columns() {
    return DocumentBuffer.bit(DocumentBuffer.TOKENS) | DocumentBuffer.bit(DocumentBuffer.CATEGORY)
        | DocumentBuffer.bit(DocumentBuffer.SENTENCE) | DocumentBuffer.bit(DocumentBuffer.ORDER);
  }

  /** Writes tokens, category (1 on [EOS], else 0), sentence index and order; no hierarchy columns. */
  @Override
  public double sampleInto(long seed, long baseDocument, int repetition, DocumentBuffer out) {
    if (repetition != 0) {
      throw new IllegalArgumentException("N-gram documents have no repetitions");
    }
    NgramProcess.Tables t = process.tables(seed);
    Rng rng = stream;
    rng.reseed(seed, PURPOSE, baseDocument);
    int eos = spec.contentTokens;
    int tables = spec.tableCount;
    long salt = t.salt;
    HeadTailTables ranks = t.ranks;
    HeadTailTables order = t.order;
    double[] expNorm = t.expNorm;
    double[] logRank = t.logRank;
    int[][] perm = t.perm;
    long[] prefix = this.prefix;
    long[] power = this.power;
    int[] orders = this.orders;
    double logLength = -Math.log(spec.lengthSpread);
    double logP = 0;
    int k = orders.length;
    for (int sentence = 0; sentence < spec.sentencesPerDocument; sentence++) {
      int length = spec.minLength + rng.nextInt(spec.lengthSpread);
      logP += logLength;
      out.reserve(length + 1);
      int n = out.length();
      int[] tok = out.column(DocumentBuffer.TOKENS);
      int[] ord = out.column(DocumentBuffer.ORDER);
      long h = 0; // prefix hash of the sentence so far (prefix[pos])
      for (int pos = 0; pos < length; pos++) {
        long u = rng.nextLong(); // high half: the order; low half: the rank (head of the table)
        int j = k == 1 ? 0 : order.sample(0, (int) (u >>> 32), rng);
        int m = Math.min(orders[j], pos);
        int table = table(h - prefix[pos - m] * power[m], m, salt, tables);
        int rank = ranks.sample(table, (int) u, rng);
        int token = perm == null ? rank : perm[table][rank];
        logP -= expNorm[2 * table] * logRank[rank] + expNorm[2 * table + 1];
        h = h * BASE + token + 1;
        prefix[pos + 1] = h;
        tok[n + pos] = token;
        ord[n + pos] = orders[j];
      }
      tok[n + length] = eos;
      ord[n + length] = 0;
      int[] category = out.column(DocumentBuffer.CATEGORY);
      Arrays.fill(category, n, n + length, 0);
      category[n + length] = 1;
      Arrays.fill(out.column(DocumentBuffer.SENTENCE), n, n + length + 1, sentence);
      out.advance(length + 1);
    }
    return logP;
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
