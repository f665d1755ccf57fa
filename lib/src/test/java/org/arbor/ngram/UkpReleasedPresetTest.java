package org.arbor.ngram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentSampler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ukp-released preset against the numbers of docs/paper-facts.md section 3. Tolerances are 5
 * standard errors of the statistic at the sample size used.
 */
class UkpReleasedPresetTest {
  private static final long SEED = 424242L;
  private static final int DOCUMENTS = 1000;
  private static NgramProcess process;
  private static NgramSpec spec;
  private static List<Document> docs;

  @BeforeAll
  static void sample() {
    process = NgramTestSupport.preset();
    spec = process.spec();
    DocumentSampler sampler = process.newSampler();
    docs = new ArrayList<>();
    for (int d = 0; d < DOCUMENTS; d++) {
      docs.add(sampler.sample(SEED, d, 0));
    }
  }

  @Test
  void presetIsTheReleasedProcess() {
    assertEquals(999, spec.contentTokens);
    assertEquals(1000, spec.tableCount);
    assertEquals(2.0, spec.exponentMu);
    assertEquals(1.2, spec.exponentSigma);
    assertEquals(1.2, spec.exponentMin);
    assertArrayEquals(new int[] {1, 2, 4, 8, 16, 32, 64, 128}, spec.orders);
    assertEquals(10, spec.minLength);
    assertEquals(100, spec.lengthSpread);
    assertEquals(999, spec.vocabulary.id("[EOS]"));
    assertEquals("w1", spec.vocabulary.name(0));
    assertEquals(1002, spec.vocabulary.size());
  }

  /** Sentences are content tokens then one [EOS]; annotations agree with the tokens. */
  @Test
  void documentStructure() {
    for (Document d : docs) {
      int[] tok = d.tokens();
      assertEquals(tok.length, d.category().length);
      assertEquals(tok.length, d.sentence().length);
      assertEquals(tok.length, d.order().length);
      assertEquals(0, d.rank().length);
      assertEquals(0, d.section().length);
      assertEquals(999, tok[tok.length - 1]);
      int sentence = 0;
      for (int i = 0; i < tok.length; i++) {
        assertTrue(tok[i] >= 0 && tok[i] <= 999);
        assertEquals(sentence, d.sentence()[i]);
        assertEquals(tok[i] == 999 ? 1 : 0, d.category()[i]);
        if (tok[i] == 999) {
          assertEquals(0, d.order()[i]);
          sentence++;
        }
      }
      assertEquals(16, sentence);
    }
  }

  /** Lengths with [EOS] are uniform on 11..110: chi-square over the 100 values, and the mean. */
  @Test
  void sentenceLengthsAreUniform() {
    long[] counts = new long[111];
    long sentences = 0;
    double sum = 0;
    for (Document d : docs) {
      int start = 0;
      for (int i = 0; i < d.length(); i++) {
        if (d.tokens()[i] == 999) {
          int length = i + 1 - start;
          assertTrue(length >= 11 && length <= 110, "length " + length);
          counts[length]++;
          sentences++;
          sum += length;
          start = i + 1;
        }
      }
    }
    double expected = sentences / 100.0;
    double chi2 = 0;
    for (int l = 11; l <= 110; l++) {
      chi2 += (counts[l] - expected) * (counts[l] - expected) / expected;
    }
    int df = 99;
    assertTrue(chi2 < df + 5 * Math.sqrt(2.0 * df), "chi-square " + chi2 + " on " + df + " df");
    double sd = Math.sqrt((100.0 * 100.0 - 1) / 12); // discrete uniform on 100 values
    assertEquals(60.5, sum / sentences, 5 * sd / Math.sqrt(sentences), "mean sentence length");
  }

  /** Every content token's order is a configured one, drawn with weights (j+1)^-1.5. */
  @Test
  void orderFrequenciesMatchTheWeights() {
    int[] orders = spec.orders;
    long[] counts = new long[orders.length];
    long n = 0;
    for (Document d : docs) {
      for (int i = 0; i < d.length(); i++) {
        if (d.tokens()[i] == 999) {
          continue;
        }
        int j = java.util.Arrays.binarySearch(orders, d.order()[i]);
        assertTrue(j >= 0, "order " + d.order()[i] + " is not configured");
        counts[j]++;
        n++;
      }
    }
    double z = 0;
    for (int j = 0; j < orders.length; j++) {
      z += Math.pow(j + 1, -1.5);
    }
    for (int j = 0; j < orders.length; j++) {
      double p = Math.pow(j + 1, -1.5) / z;
      assertEquals(n * p, counts[j], 5 * Math.sqrt(n * p * (1 - p)), "order " + orders[j]);
    }
  }

  /**
   * The number of id-0 tokens matches the sum over tokens of P(id 0 | the sentence so far), with
   * that probability computed independently of the sampler (context rule written out, orders
   * summed out). Their difference is a martingale: its standard deviation is the root of the sum
   * of p(1 - p).
   */
  @Test
  void shareOfIdZeroMatchesTheDrawnTables() {
    NgramProcess.Tables t = process.tables(SEED);
    long zeros = 0;
    long n = 0;
    double expected = 0;
    double variance = 0;
    for (Document d : docs) {
      int[] tok = d.tokens();
      int start = 0;
      for (int i = 0; i < tok.length; i++) {
        if (tok[i] == 999) {
          start = i + 1;
          continue;
        }
        double p = NgramTestSupport.nextProbability(t, spec, tok, start, i, 0);
        expected += p;
        variance += p * (1 - p);
        zeros += tok[i] == 0 ? 1 : 0;
        n++;
      }
    }
    assertEquals(expected, zeros, 5 * Math.sqrt(variance),
        "id 0: " + zeros + " of " + n + " tokens, share " + (double) zeros / n);
  }

  /**
   * Like the id-0 check, for buckets of ranks that cover both the cached heads of the tables and
   * their tails (ranks from 63 on are drawn from the tail: see {@link NgramProcess#HEAD_BITS}).
   */
  @Test
  void rankBucketsMatchTheDrawnTables() {
    NgramProcess.Tables t = process.tables(SEED);
    int[] edges = {0, 1, 2, 4, 15, 63, 200, 999}; // bucket b = ranks [edges[b], edges[b + 1])
    int buckets = edges.length - 1;
    double[][] bucketProb = new double[spec.tableCount][buckets];
    for (int c = 0; c < spec.tableCount; c++) {
      for (int b = 0; b < buckets; b++) {
        for (int r = edges[b]; r < edges[b + 1]; r++) {
          bucketProb[c][b] += t.probability(c, r);
        }
      }
    }
    long[] counts = new long[buckets];
    double[] expected = new double[buckets];
    double[] variance = new double[buckets];
    double[] p = new double[buckets];
    for (Document d : docs) {
      int[] tok = d.tokens();
      int start = 0;
      for (int i = 0; i < tok.length; i++) {
        if (tok[i] == 999) {
          start = i + 1;
          continue;
        }
        java.util.Arrays.fill(p, 0);
        for (int j = 0; j < spec.orders.length; j++) {
          int m = Math.min(spec.orders[j], i - start);
          int table = NgramTestSupport.table(t, spec.tableCount, tok, i - m, i);
          for (int b = 0; b < buckets; b++) {
            p[b] += t.orderProb[j] * bucketProb[table][b];
          }
        }
        for (int b = 0; b < buckets; b++) {
          expected[b] += p[b];
          variance[b] += p[b] * (1 - p[b]);
          if (tok[i] >= edges[b] && tok[i] < edges[b + 1]) {
            counts[b]++;
          }
        }
      }
    }
    for (int b = 0; b < buckets; b++) {
      assertEquals(expected[b], counts[b], 5 * Math.sqrt(variance[b]),
          "ranks " + edges[b] + ".." + (edges[b + 1] - 1));
    }
  }

  /**
   * "About 57% of tokens are id 0" is the mean over tables of P(id 0) = 1 / H(999, e): check the
   * drawn tables against E[1 / H(999, max(N(2, 1.2), 1.2))] computed by quadrature. (The share in
   * a corpus weights tables by use, which depends on the seed's tables: 0.46 to 0.80 for seeds
   * 1..20, mean about 0.57.)
   */
  @Test
  void meanProbabilityOfIdZeroOverTablesIsAbout057() {
    double analytic = expectedPZero(spec.exponentMu, spec.exponentSigma, spec.exponentMin, 999);
    assertEquals(0.57, analytic, 0.015, "E[P(id 0)] over the exponent distribution");
    NgramProcess.Tables t = process.tables(SEED);
    int k = spec.tableCount;
    double sum = 0;
    double sumSq = 0;
    int clipped = 0;
    for (int c = 0; c < k; c++) {
      double p = t.probability(c, 0);
      assertEquals(1 / harmonic(999, t.exponent(c)), p, 1e-12);
      sum += p;
      sumSq += p * p;
      clipped += t.exponent(c) == spec.exponentMin ? 1 : 0;
    }
    double mean = sum / k;
    double sd = Math.sqrt((sumSq - k * mean * mean) / (k - 1));
    assertEquals(analytic, mean, 5 * sd / Math.sqrt(k), "mean of P(id 0) over the drawn tables");
    double pClip = normalCdf((spec.exponentMin - spec.exponentMu) / spec.exponentSigma);
    assertEquals(k * pClip, clipped, 5 * Math.sqrt(k * pClip * (1 - pClip)), "tables at the min");
  }

  /** E[1 / H(n, max(X, min))] for X ~ Normal(mu, sigma), by Simpson's rule above the clip. */
  static double expectedPZero(double mu, double sigma, double min, int n) {
    double below = normalCdf((min - mu) / sigma) / harmonic(n, min);
    double hi = mu + 12 * sigma;
    int steps = 2000;
    double h = (hi - min) / steps;
    double s = 0;
    for (int i = 0; i <= steps; i++) {
      double x = min + i * h;
      double f = Math.exp(-0.5 * Math.pow((x - mu) / sigma, 2)) / (sigma * Math.sqrt(2 * Math.PI))
          / harmonic(n, x);
      s += f * (i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2);
    }
    return below + s * h / 3;
  }

  /** Standard normal CDF by Simpson's rule on the density from -12. */
  static double normalCdf(double z) {
    int steps = 20000;
    double lo = -12;
    double h = (z - lo) / steps;
    double s = 0;
    for (int i = 0; i <= steps; i++) {
      double x = lo + i * h;
      double f = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
      s += f * (i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2);
    }
    return s * h / 3;
  }

  static double harmonic(int n, double e) {
    double h = 0;
    for (int r = n; r >= 1; r--) {
      h += Math.pow(r, -e);
    }
    return h;
  }
}
