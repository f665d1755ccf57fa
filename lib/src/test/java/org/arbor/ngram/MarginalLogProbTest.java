package org.arbor.ngram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link NgramProcess#marginalLogProb} against brute force on a spec small enough to enumerate
 * every document (two sentences of 1 to 3 tokens over 3 content tokens: 39^2 = 1521 documents),
 * and the sampler against that marginal.
 */
class MarginalLogProbTest {
  private static final long SEED = 5;
  private static final int CONTENT = 3;
  private static final int EOS = CONTENT;

  static String yaml(String ranking) {
    return """
        kind: ngram
        name: tiny-variable
        vocabulary: {content: 3}
        boundaries: {sentence: "[EOS]"}
        specials: []
        tables:
          count: 5
          exponent: {mu: 1.0, sigma: 1.0, min: 0.0}
          ranking: %s
        context: {mode: variable, orders: [0, 1, 3], order_weight_exponent: 1.0}
        sentence: {min_length: 1, length_spread: 3}
        document: {sentences: 2}
        """.formatted(ranking);
  }

  /** All sentences (content tokens, no [EOS]) of 1 to 3 tokens. */
  static List<int[]> sentences() {
    List<int[]> out = new ArrayList<>();
    for (int len = 1; len <= 3; len++) {
      int total = (int) Math.pow(CONTENT, len);
      for (int code = 0; code < total; code++) {
        int[] s = new int[len];
        for (int i = 0, c = code; i < len; i++, c /= CONTENT) {
          s[i] = c % CONTENT;
        }
        out.add(s);
      }
    }
    return out;
  }

  static int[] document(int[] a, int[] b) {
    int[] d = new int[a.length + b.length + 2];
    System.arraycopy(a, 0, d, 0, a.length);
    d[a.length] = EOS;
    System.arraycopy(b, 0, d, a.length + 1, b.length);
    d[d.length - 1] = EOS;
    return d;
  }

  /** P(token | table) from the definition: Zipf over the table's ranking, exponent e_t. */
  static double tableProbability(NgramProcess.Tables t, int table, int token) {
    double e = t.exponent(table);
    int rank = t.rankOf == null ? token : t.rankOf[table][token];
    double z = 0;
    for (int i = 0; i < CONTENT; i++) {
      z += Math.pow(i + 1, -e);
    }
    return Math.pow(rank + 1, -e) / z;
  }

  /**
   * ln P(sentence) by brute force: P(length) times the sum over every sequence of orders of the
   * product of P(order_i) P(token_i | table of the last min(order_i, i) tokens).
   */
  static double bruteForceSentence(NgramProcess.Tables t, NgramSpec spec, int[] s) {
    int k = spec.orders.length;
    double wz = 0;
    for (double w : spec.orderWeights) {
      wz += w;
    }
    int[] o = new int[s.length];
    double total = 0;
    while (true) {
      double p = 1;
      for (int i = 0; i < s.length; i++) {
        int m = Math.min(spec.orders[o[i]], i);
        int table = NgramTestSupport.table(t, spec.tableCount, s, i - m, i);
        p *= spec.orderWeights[o[i]] / wz * tableProbability(t, table, s[i]);
      }
      total += p;
      int i = 0;
      while (i < s.length && ++o[i] == k) {
        o[i++] = 0;
      }
      if (i == s.length) {
        break;
      }
    }
    return Math.log(total) - Math.log(spec.lengthSpread);
  }

  @ParameterizedTest
  @ValueSource(strings = {"shared", "permuted"})
  void equalsBruteForceAndSumsToOne(String ranking) {
    NgramProcess process = NgramTestSupport.process("tiny.yaml", yaml(ranking));
    NgramSpec spec = process.spec();
    NgramProcess.Tables t = process.tables(SEED);
    var scorer = process.scorer(SEED);
    List<int[]> sentences = sentences();
    double sum = 0;
    for (int[] a : sentences) {
      double la = bruteForceSentence(t, spec, a);
      for (int[] b : sentences) {
        double expected = la + bruteForceSentence(t, spec, b);
        double got = scorer.applyAsDouble(document(a, b));
        assertEquals(expected, got, 1e-12 * Math.abs(expected));
        sum += Math.exp(got);
      }
    }
    assertEquals(1.0, sum, 1e-12, "total probability of all documents");
  }

  @Test
  void impossibleDocumentsHaveProbabilityZero() {
    NgramProcess process = NgramTestSupport.process("tiny.yaml", yaml("shared"));
    double ninf = Double.NEGATIVE_INFINITY;
    assertEquals(ninf, process.marginalLogProb(SEED, new int[] {0, 1, 2, 0, EOS})); // too long
    assertEquals(ninf, process.marginalLogProb(SEED, new int[] {EOS, 1, EOS})); // too short
    assertEquals(ninf, process.marginalLogProb(SEED, new int[] {0, 5, EOS})); // not a token
    assertEquals(ninf, process.marginalLogProb(SEED, new int[] {0, -1, EOS}));
  }

  /**
   * Document frequencies of the sampler match exp(marginal): chi-square over all documents with
   * expected count at least 5 (the rest pooled into one cell), bound df + 5 sqrt(2 df); and the
   * mean of -marginal over the samples (the sampler's cross-entropy against the marginal) matches
   * the entropy computed by enumeration, within 5 standard errors.
   */
  @ParameterizedTest
  @ValueSource(strings = {"shared", "permuted"})
  void samplerFollowsTheMarginal(String ranking) {
    NgramProcess process = NgramTestSupport.process("tiny.yaml", yaml(ranking));
    var scorer = process.scorer(SEED);
    List<int[]> sentences = sentences();
    Map<String, Double> prob = new HashMap<>();
    double entropy = 0;
    double second = 0;
    for (int[] a : sentences) {
      for (int[] b : sentences) {
        int[] d = document(a, b);
        double lp = scorer.applyAsDouble(d);
        prob.put(java.util.Arrays.toString(d), Math.exp(lp));
        entropy -= Math.exp(lp) * lp;
        second += Math.exp(lp) * lp * lp;
      }
    }
    int n = 200_000;
    DocumentSampler sampler = process.newSampler();
    Map<String, Integer> counts = new HashMap<>();
    double crossEntropy = 0;
    for (int i = 0; i < n; i++) {
      int[] d = sampler.sample(SEED, i, 0).tokens();
      String key = java.util.Arrays.toString(d);
      assertTrue(prob.containsKey(key), "sampled an impossible document " + key);
      counts.merge(key, 1, Integer::sum);
      crossEntropy -= scorer.applyAsDouble(d);
    }
    double chi2 = 0;
    int cells = 0;
    double restExpected = 0;
    long restCount = 0;
    for (Map.Entry<String, Double> e : prob.entrySet()) {
      double expected = n * e.getValue();
      int c = counts.getOrDefault(e.getKey(), 0);
      if (expected >= 5) {
        chi2 += (c - expected) * (c - expected) / expected;
        cells++;
      } else {
        restExpected += expected;
        restCount += c;
      }
    }
    if (restExpected > 0) {
      chi2 += (restCount - restExpected) * (restCount - restExpected) / restExpected;
      cells++;
    }
    int df = cells - 1;
    assertTrue(df > 100, "too few cells: " + cells);
    assertTrue(chi2 < df + 5 * Math.sqrt(2.0 * df), "chi-square " + chi2 + " on " + df + " df");
    double sd = Math.sqrt(second - entropy * entropy);
    assertEquals(entropy, crossEntropy / n, 5 * sd / Math.sqrt(n), "nats per document");
  }

  /**
   * {@link Document#logProb} is ln P(tokens, lengths | the recorded orders), and the marginal is
   * at least ln P(tokens, lengths, orders): checked on the preset, recomputing every table choice.
   */
  @Test
  void documentLogProbIsConditionalOnTheRecordedOrders() {
    NgramProcess process = NgramTestSupport.preset();
    NgramSpec spec = process.spec();
    long seed = 77;
    NgramProcess.Tables t = process.tables(seed);
    DocumentSampler sampler = process.newSampler();
    var scorer = process.scorer(seed);
    for (int id = 0; id < 50; id++) {
      Document d = sampler.sample(seed, id, 0);
      int[] tok = d.tokens();
      double lp = 0;
      double lpOrders = 0;
      int start = 0;
      for (int i = 0; i < tok.length; i++) {
        if (tok[i] == spec.contentTokens) {
          lp -= Math.log(spec.lengthSpread);
          start = i + 1;
          continue;
        }
        int order = d.order()[i];
        int m = Math.min(order, i - start);
        int table = NgramTestSupport.table(t, spec.tableCount, tok, i - m, i);
        lp += Math.log(t.probability(table, tok[i]));
        lpOrders += t.logOrderProb[java.util.Arrays.binarySearch(spec.orders, order)];
      }
      assertEquals(lp, d.logProb(), 1e-9 * Math.abs(lp), "document " + id);
      double marginal = scorer.applyAsDouble(tok);
      assertTrue(marginal >= lp + lpOrders - 1e-9 * Math.abs(lp), "document " + id);
    }
  }
}
