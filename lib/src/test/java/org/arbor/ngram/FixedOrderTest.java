package org.arbor.ngram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentSampler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code mode: fixed, order: k} is a k-th order Markov chain within sentences: given the last
 * min(k, position) tokens of the sentence, the next token follows the table that context hashes
 * to, whatever came before it.
 */
class FixedOrderTest {
  private static final int CONTENT = 5;

  static String yaml(int k) {
    return """
        kind: ngram
        name: tiny-fixed
        vocabulary: {content: 5, token_prefix: w, first_number: 0}
        boundaries: {sentence: "[EOS]"}
        specials: ["[UNK]", "[PAD]"]
        tables:
          count: 7
          exponent: {mu: 1.0, sigma: 1.0, min: 0.2}
          ranking: permuted
        context: {mode: fixed, order: %d}
        sentence: {min_length: 20, length_spread: 11}
        document: {sentences: 4}
        """.formatted(k);
  }

  /**
   * For every context seen at least 200 times, each next token's count is within 5 standard errors
   * of (context count) x P(token | the context's table); and every content token records order k.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void nextTokenFollowsTheTableOfTheLastKTokens(int k) {
    NgramProcess process = NgramTestSupport.process("tiny-fixed-" + k + ".yaml", yaml(k));
    NgramSpec spec = process.spec();
    long seed = 99;
    NgramProcess.Tables t = process.tables(seed);
    DocumentSampler sampler = process.newSampler();
    // Context key: its length and tokens in base CONTENT + 1; value: next-token counts.
    Map<Long, long[]> counts = new HashMap<>();
    Map<Long, Integer> tableOf = new HashMap<>();
    for (int d = 0; d < 4000; d++) {
      Document doc = sampler.sample(seed, d, 0);
      int[] tok = doc.tokens();
      int start = 0;
      for (int i = 0; i < tok.length; i++) {
        if (tok[i] == CONTENT) {
          start = i + 1;
          continue;
        }
        assertEquals(k, doc.order()[i]);
        int m = Math.min(k, i - start);
        long key = m;
        for (int q = i - m; q < i; q++) {
          key = key * (CONTENT + 1) + tok[q] + 1;
        }
        counts.computeIfAbsent(key, x -> new long[CONTENT])[tok[i]]++;
        tableOf.putIfAbsent(key, NgramTestSupport.table(t, spec.tableCount, tok, i - m, i));
      }
    }
    int tested = 0;
    for (Map.Entry<Long, long[]> e : counts.entrySet()) {
      long[] c = e.getValue();
      long n = 0;
      for (long x : c) {
        n += x;
      }
      if (n < 200) {
        continue;
      }
      tested++;
      int table = tableOf.get(e.getKey());
      for (int token = 0; token < CONTENT; token++) {
        double p = t.probability(table, token);
        assertEquals(n * p, c[token], 5 * Math.sqrt(n * p * (1 - p)),
            "context " + e.getKey() + " (table " + table + "), token " + token + " of " + n);
      }
    }
    // All contexts up to length k: 1 + 5 + ... + 5^k; most must be frequent enough to test.
    int contexts = 0;
    for (int m = 0, p = 1; m <= k; m++, p *= CONTENT) {
      contexts += p;
    }
    assertTrue(tested >= contexts * 3 / 4, tested + " of " + contexts + " contexts tested");
  }
}
