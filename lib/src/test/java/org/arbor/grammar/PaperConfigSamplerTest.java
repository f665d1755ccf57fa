package org.arbor.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentSampler;
import org.arbor.random.StatAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The paper-config preset: paper-facts.md section 2 with real section and paragraph latents. */
class PaperConfigSamplerTest {
  static final int S = 0;
  static final int V = 1;
  static final int O = 2;
  static final int C = 3;
  static final int EOS = 1000;
  static final int EOP = 1001;
  static final int EOS_SEC = 1002;
  static final long SEED = 77;
  static final int BASES = 15;
  static final int REPS = 2;

  static GrammarSpec g;
  static Document[][] docs;
  static DocumentLatent[] latents;
  static double h370;

  @BeforeAll
  static void sample() {
    g = Presets.grammar("paper-config");
    DocumentSampler sampler = new PcfgProcess(g).newSampler();
    docs = new Document[BASES][REPS];
    latents = new DocumentLatent[BASES];
    for (int b = 0; b < BASES; b++) {
      latents[b] = new DocumentLatent(g, SEED, b);
      for (int r = 0; r < REPS; r++) {
        docs[b][r] = sampler.sample(SEED, b, r);
      }
    }
    ranks = new int[BASES][10][3][1000];
    for (int b = 0; b < BASES; b++) {
      for (int s = 0; s < 10; s++) {
        for (int c = 0; c < 3; c++) {
          for (int r = 0; r < 370; r++) {
            ranks[b][s][c][latents[b].ranking[s][c][r]] = r + 1;
          }
        }
      }
    }
    h370 = 0;
    for (int r = 370; r >= 1; r--) {
      h370 += 1.0 / r;
    }
  }

  static boolean shared(int token) {
    return token >= 930 && token <= 999;
  }

  /** ranks[b][s][c][token]: rank of a token in the ranking of class c in section s of base b. */
  static int[][][][] ranks;

  /** Inverts a section ranking: rank by token id. */
  static int[] rankOf(DocumentLatent l, int s, int c) {
    for (int b = 0; b < BASES; b++) {
      if (latents[b] == l) {
        return ranks[b][s][c];
      }
    }
    throw new AssertionError("unknown latent");
  }

  /** P(token | slot of class c in section s, paragraph p) from the latents and the config's numbers. */
  static double tokenProbability(DocumentLatent l, int c, int token, int s, int p) {
    if (c == C) {
      return token >= 900 && token <= 929 ? 1 / 30.0 : 0;
    }
    int lo = 300 * c;
    if (!(token >= lo && token < lo + 300) && !shared(token)) {
      return 0;
    }
    double zipf = 1 / (rankOf(l, s, c)[token] * h370);
    if (c == V) {
      return zipf;
    }
    boolean inTopic = Arrays.stream(l.topic[s][p][c]).anyMatch(x -> x == token);
    return 0.75 * zipf + (inTopic ? 0.25 / 5 : 0);
  }

  @Test
  void layoutAndBoundaries() {
    for (Document[] reps : docs) {
      for (Document d : reps) {
        int i = 0;
        for (int s = 0; s < 10; s++) {
          for (int p = 0; p < 20; p++) {
            for (int n = 0; n < 2; n++) {
              int len = 0;
              while (d.tokens()[i] < 1000) {
                assertEquals(s, d.section()[i]);
                assertEquals(p, d.paragraph()[i]);
                assertEquals(n, d.sentence()[i]);
                assertTrue(d.category()[i] <= C);
                i++;
                len++;
              }
              assertTrue(len == 3 || len == 7 || len == 11, "sentence of " + len + " content tokens");
              assertBoundary(d, i++, EOS, 4, s, p, n);
            }
            assertBoundary(d, i++, EOP, 5, s, p, -1);
          }
          assertBoundary(d, i++, EOS_SEC, 6, s, -1, -1);
        }
        assertEquals(d.length(), i, "the document ends with its last section's [EOS_SEC]");
      }
    }
  }

  private static void assertBoundary(Document d, int i, int token, int category, int s, int p, int n) {
    assertEquals(token, d.tokens()[i], "boundary at " + i);
    assertEquals(category, d.category()[i]);
    assertEquals(0, d.rank()[i]);
    assertEquals(s, d.section()[i]);
    assertEquals(p, d.paragraph()[i]);
    assertEquals(n, d.sentence()[i]);
    assertEquals(-1, d.clause()[i]);
  }

  @Test
  void ranksAreTheSectionRanking() {
    for (int b = 0; b < BASES; b++) {
      DocumentLatent l = latents[b];
      for (Document d : docs[b]) {
        for (int i = 0; i < d.length(); i++) {
          int c = d.category()[i];
          if (c <= O) {
            assertEquals(l.ranking[d.section()[i]][c][d.rank()[i] - 1], d.tokens()[i], "token at its recorded rank");
          } else if (c == C) {
            assertTrue(d.tokens()[i] >= 900 && d.tokens()[i] <= 929);
            assertEquals(0, d.rank()[i]);
          }
        }
      }
    }
  }

  @Test
  void sharedTokensAppearAsSubjectVerbAndObject() {
    // Expected number of shared tokens per class against the sum of per-slot probabilities.
    double[] mean = new double[3];
    double[] var = new double[3];
    long[] seen = new long[3];
    for (int b = 0; b < BASES; b++) {
      DocumentLatent l = latents[b];
      for (Document d : docs[b]) {
        for (int i = 0; i < d.length(); i++) {
          int c = d.category()[i];
          if (c > O) {
            continue;
          }
          double q = 0;
          for (int t = 930; t <= 999; t++) {
            q += tokenProbability(l, c, t, d.section()[i], d.paragraph()[i]);
          }
          mean[c] += q;
          var[c] += q * (1 - q);
          seen[c] += shared(d.tokens()[i]) ? 1 : 0;
        }
      }
    }
    for (int c = 0; c < 3; c++) {
      assertTrue(seen[c] > 1000, "shared ids emitted as class " + c);
      StatAssert.sumOfBernoulli("shared tokens as class " + c, seen[c], mean[c], var[c]);
    }
  }

  @Test
  void topicTokensFollowTheMixture() {
    // A subject or object slot emits a topic token with probability 0.25 + 0.75 * Zipf mass of the
    // topic tokens under the section ranking; verbs have no topic.
    double mean = 0;
    double var = 0;
    long topical = 0;
    double vMean = 0;
    double vVar = 0;
    long vRankOne = 0;
    for (int b = 0; b < BASES; b++) {
      DocumentLatent l = latents[b];
      for (Document d : docs[b]) {
        for (int i = 0; i < d.length(); i++) {
          int c = d.category()[i];
          int s = d.section()[i];
          int p = d.paragraph()[i];
          if (c == S || c == O) {
            int[] topic = l.topic[s][p][c];
            assertEquals(5, topic.length);
            double q = 0.25;
            for (int x : topic) {
              q += 0.75 / (ranks[b][s][c][x] * h370);
            }
            mean += q;
            var += q * (1 - q);
            int token = d.tokens()[i];
            topical += Arrays.stream(topic).anyMatch(x -> x == token) ? 1 : 0;
          } else if (c == V) {
            double q = 1 / h370;
            vMean += q;
            vVar += q * (1 - q);
            vRankOne += d.rank()[i] == 1 ? 1 : 0;
          }
        }
      }
    }
    StatAssert.sumOfBernoulli("topic tokens in S and O slots", topical, mean, var);
    StatAssert.sumOfBernoulli("verbs at section rank 1 (Zipf(370), no topic)", vRankOne, vMean, vVar);
  }

  @Test
  void sentenceStructure() {
    long n = 0;
    long[] byLength = new long[12];
    long vso = 0;
    for (Document[] reps : docs) {
      for (Document d : reps) {
        int start = 0;
        for (int i = 0; i < d.length(); i++) {
          if (d.tokens()[i] == EOS) {
            byLength[i - start]++;
            vso += d.category()[start] == V ? 1 : 0;
            n++;
          }
          if (d.tokens()[i] >= 1000) {
            start = i + 1;
          }
        }
      }
    }
    assertEquals(BASES * REPS * 400L, n, "10 x 20 x 2 sentences per document");
    StatAssert.binomial("3 content tokens", byLength[3], n, 2 / 3.0);
    StatAssert.binomial("7 content tokens", byLength[7], n, 1 / 6.0);
    StatAssert.binomial("11 content tokens", byLength[11], n, 1 / 6.0);
    StatAssert.binomial("VSO", vso, n, 1 / 2.0);
  }

  /** P(sentence | latents): the sum over the sentence structures its length and tokens allow. */
  static double sentenceProbability(DocumentLatent l, List<Integer> tokens, int s, int p) {
    List<int[]> structures = new ArrayList<>();
    double[] prior;
    switch (tokens.size()) {
      case 3 -> {
        structures.add(new int[] {V, S, O});
        structures.add(new int[] {S, V, O});
        prior = new double[] {1 / 2.0, 1 / 6.0};
      }
      case 7 -> {
        structures.add(new int[] {S, V, O, C, S, V, O});
        prior = new double[] {1 / 6.0};
      }
      case 11 -> {
        structures.add(new int[] {S, V, O, C, S, V, O, C, S, V, O});
        prior = new double[] {1 / 6.0};
      }
      default -> throw new AssertionError("length " + tokens.size());
    }
    double total = 0;
    for (int k = 0; k < structures.size(); k++) {
      double q = prior[k];
      for (int i = 0; i < tokens.size(); i++) {
        q *= tokenProbability(l, structures.get(k)[i], tokens.get(i), s, p);
      }
      total += q;
    }
    return total;
  }

  @Test
  void logProbIsExact() {
    int ambiguous = 0;
    for (int b = 0; b < 4; b++) {
      for (Document d : docs[b]) {
        double expected = 0;
        List<Integer> sentence = new ArrayList<>();
        for (int i = 0; i < d.length(); i++) {
          int t = d.tokens()[i];
          if (t < 1000) {
            sentence.add(t);
          } else if (t == EOS) {
            expected += Math.log(sentenceProbability(latents[b], sentence, d.section()[i], d.paragraph()[i]));
            ambiguous += sentence.size() == 3 && shared(sentence.get(0)) && shared(sentence.get(1)) ? 1 : 0;
            sentence.clear();
          }
        }
        assertEquals(expected, d.logProb(), 1e-10 * Math.abs(expected));
      }
    }
    assertTrue(ambiguous > 10, "ambiguous V S O / S V O sentences were checked: " + ambiguous);
  }
}
