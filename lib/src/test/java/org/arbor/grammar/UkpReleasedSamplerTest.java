package org.arbor.grammar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentSampler;
import org.arbor.random.StatAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ukp-released preset against the distribution of paper-facts.md section 1. */
class UkpReleasedSamplerTest {
  static final int S = 0;
  static final int V = 1;
  static final int O = 2;
  static final int C = 3;
  static final int EOS = 4;
  static final long SEED = 20260306;
  static final int BASES = 200;

  static GrammarSpec g;
  static PcfgProcess process;
  /** docs[b][r]: base document b, repetition r. */
  static Document[][] docs;

  @BeforeAll
  static void sample() {
    g = Presets.grammar("ukp-released");
    process = new PcfgProcess(g);
    DocumentSampler sampler = process.newSampler();
    docs = new Document[BASES][g.repetitions];
    for (int b = 0; b < BASES; b++) {
      for (int r = 0; r < g.repetitions; r++) {
        docs[b][r] = sampler.sample(SEED, b, r);
      }
    }
  }

  static List<Document> all() {
    List<Document> out = new ArrayList<>();
    for (Document[] reps : docs) {
      out.addAll(Arrays.asList(reps));
    }
    return out;
  }

  /** Start offsets of the sentences of a document (each ends with [EOS]), plus the length. */
  static int[] sentenceStarts(Document d) {
    List<Integer> starts = new ArrayList<>(List.of(0));
    for (int i = 0; i < d.length(); i++) {
      if (d.tokens()[i] == 1000) {
        starts.add(i + 1);
      }
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  static double harmonic300() {
    double h = 0;
    for (int r = 300; r >= 1; r--) {
      h += 1.0 / r;
    }
    return h;
  }

  @Test
  void sixteenSentencesEndingWithEos() {
    for (Document d : all()) {
      int[] starts = sentenceStarts(d);
      assertEquals(17, starts.length, "16 sentences");
      assertEquals(d.length(), starts[16], "the document ends with [EOS]");
      for (int i = 0; i < d.length(); i++) {
        assertTrue(d.tokens()[i] <= 1000, "only content tokens and [EOS]");
        assertEquals(d.tokens()[i] == 1000, d.category()[i] == EOS);
      }
    }
  }

  @Test
  void sentenceLengthsAndOrder() {
    long n = 0;
    long[] byLength = new long[13];
    long vso = 0;
    for (Document d : all()) {
      int[] starts = sentenceStarts(d);
      for (int j = 0; j < 16; j++) {
        int len = starts[j + 1] - starts[j];
        assertTrue(len == 4 || len == 8 || len == 12, "sentence length " + len);
        byLength[len]++;
        short[] cat = Arrays.copyOfRange(d.category(), starts[j], starts[j + 1]);
        if (cat[0] == V) {
          vso++;
          assertArrayEquals(new short[] {V, S, O, EOS}, cat);
        } else {
          short[] expected = new short[len];
          expected[0] = S;
          expected[1] = V;
          expected[2] = O;
          for (int c = 3; c < len - 1; c += 4) {
            expected[c] = C;
            expected[c + 1] = S;
            expected[c + 2] = V;
            expected[c + 3] = O;
          }
          expected[len - 1] = EOS;
          assertArrayEquals(expected, cat);
        }
        n++;
      }
    }
    StatAssert.binomial("length 4", byLength[4], n, 2 / 3.0);
    StatAssert.binomial("length 8", byLength[8], n, 1 / 6.0);
    StatAssert.binomial("length 12", byLength[12], n, 1 / 6.0);
    StatAssert.binomial("VSO (first token a verb)", vso, n, 1 / 2.0);
  }

  @Test
  void ranksFollowZipf300() {
    double h = harmonic300();
    long[] counts = new long[300];
    long ranked = 0;
    long rankOne = 0;
    for (Document d : all()) {
      for (int i = 0; i < d.length(); i++) {
        if (d.category()[i] <= O) {
          int r = d.rank()[i];
          assertTrue(r >= 1 && r <= 300, "rank " + r);
          counts[r - 1]++;
          ranked++;
          if (r == 1) {
            rankOne++;
          }
        }
      }
    }
    assertEquals(0.159, 1 / h, 5e-4);
    StatAssert.binomial("rank 1", rankOne, ranked, 1 / h);
    double[] p = new double[300];
    for (int r = 1; r <= 300; r++) {
      p[r - 1] = 1.0 / (r * h);
    }
    StatAssert.chiSquare("ranks of S, V, O tokens vs Zipf(300, 1)", counts, p);
  }

  @Test
  void connectorsAreUniformAndUnranked() {
    long[] counts = new long[100];
    for (Document d : all()) {
      for (int i = 0; i < d.length(); i++) {
        if (d.category()[i] == C) {
          int t = d.tokens()[i];
          assertTrue(t >= 900 && t <= 999);
          assertEquals(0, d.rank()[i]);
          counts[t - 900]++;
        } else if (d.category()[i] == EOS) {
          assertEquals(0, d.rank()[i]);
        }
      }
    }
    double[] p = new double[100];
    Arrays.fill(p, 0.01);
    StatAssert.chiSquare("connectors", counts, p);
  }

  @Test
  void tokensAreThePermutationEntryAtTheirRank() {
    long checked = 0;
    for (int b = 0; b < BASES; b++) {
      DocumentLatent latent = new DocumentLatent(g, SEED, b);
      for (Document d : docs[b]) {
        for (int i = 0; i < d.length(); i++) {
          int c = d.category()[i];
          if (c <= O) {
            int[] classRange = {c * 300, c * 300 + 299};
            assertTrue(d.tokens()[i] >= classRange[0] && d.tokens()[i] <= classRange[1], "token in its class");
            assertEquals(latent.document[c][d.rank()[i] - 1], d.tokens()[i]);
            checked++;
          }
        }
      }
    }
    assertTrue(checked > 100_000);
  }

  @Test
  void permutationIsSharedByRepetitionsAndDiffersBetweenBaseDocuments() {
    // From the annotations alone: within a base document, (class, rank) -> token is one function
    // over all 10 repetitions; two base documents' functions disagree.
    int[][][] token = new int[BASES][3][301];
    for (int b = 0; b < BASES; b++) {
      for (int[] t : token[b]) {
        Arrays.fill(t, -1);
      }
      for (Document d : docs[b]) {
        for (int i = 0; i < d.length(); i++) {
          int c = d.category()[i];
          if (c <= O) {
            int r = d.rank()[i];
            assertTrue(token[b][c][r] < 0 || token[b][c][r] == d.tokens()[i],
                "base " + b + ": class " + c + " rank " + r + " emits one token in all repetitions");
            token[b][c][r] = d.tokens()[i];
          }
        }
      }
      for (int r = 1; r < g.repetitions; r++) {
        assertFalse(Arrays.equals(docs[b][0].tokens(), docs[b][r].tokens()), "repetitions draw fresh sentences");
      }
    }
    // Independent permutations agree at a given rank with probability 1/300: pooled over all
    // neighbouring pairs of base documents (a shared permutation would agree everywhere).
    long common = 0;
    long same = 0;
    for (int b = 0; b + 1 < BASES; b++) {
      for (int c = 0; c < 3; c++) {
        for (int r = 1; r <= 300; r++) {
          if (token[b][c][r] >= 0 && token[b + 1][c][r] >= 0) {
            common++;
            same += token[b][c][r] == token[b + 1][c][r] ? 1 : 0;
          }
        }
      }
    }
    assertTrue(common > 10_000, "enough shared ranks to compare");
    StatAssert.binomial("neighbouring base documents emit the same token at a rank", same, common, 1 / 300.0);
  }

  @Test
  void hierarchyAnnotations() {
    for (Document d : all()) {
      int[] starts = sentenceStarts(d);
      for (int j = 0; j < 16; j++) {
        int clause = 0;
        for (int i = starts[j]; i < starts[j + 1]; i++) {
          assertEquals(j / 8, d.section()[i], "section");
          assertEquals((j / 2) % 4, d.paragraph()[i], "paragraph");
          assertEquals(j % 2, d.sentence()[i], "sentence");
          if (d.category()[i] == C) {
            clause++;
          }
          int expected = d.category()[i] == EOS ? -1 : clause;
          assertEquals(expected, d.clause()[i], "clause index");
        }
      }
      assertEquals(0, d.order().length, "no N-gram orders");
    }
  }

  /** ln P(document | permutations), computed from the tokens and the document's permutations. */
  static double logProbability(Document d, DocumentLatent latent, double h) {
    int[][] rankOf = new int[3][1000];
    for (int c = 0; c < 3; c++) {
      for (int r = 0; r < 300; r++) {
        rankOf[c][latent.document[c][r]] = r + 1;
      }
    }
    double lp = 0;
    int[] starts = sentenceStarts(d);
    for (int j = 0; j < 16; j++) {
      int len = starts[j + 1] - starts[j];
      int first = d.tokens()[starts[j]];
      lp += len == 4 && first >= 300 && first < 600 ? Math.log(1 / 2.0) : Math.log(1 / 6.0);
      for (int i = starts[j]; i < starts[j + 1] - 1; i++) {
        int t = d.tokens()[i];
        lp += t >= 900 ? Math.log(1 / 100.0) : -Math.log(rankOf[t / 300][t] * h);
      }
    }
    return lp;
  }

  @Test
  void logProbIsExact() {
    double h = harmonic300();
    for (int b = 0; b < 20; b++) {
      DocumentLatent latent = new DocumentLatent(g, SEED, b);
      for (Document d : docs[b]) {
        double expected = logProbability(d, latent, h);
        assertEquals(expected, d.logProb(), 1e-10 * Math.abs(expected));
      }
    }
  }

  @Test
  void meanNegativeLogProbPerToken() {
    // Entropy per sentence: structure {1/2, 1/6, 1/6, 1/6}, plus 4.5 Zipf(300) slots on average
    // (3 + 1/2 * 1 clause * 3) and 1/2 connector slot (ln 100), over 6 tokens on average.
    double h = harmonic300();
    double zipfEntropy = 0;
    for (int r = 1; r <= 300; r++) {
      double p = 1.0 / (r * h);
      zipfEntropy -= p * Math.log(p);
    }
    double structure = -(0.5 * Math.log(0.5) + 3 * (1 / 6.0) * Math.log(1 / 6.0));
    double expected = (structure + 4.5 * zipfEntropy + 0.5 * Math.log(100)) / 6;
    assertEquals(3.90, expected, 0.005, "paper-facts: about 3.90 nats per token");

    // Ratio estimator sum(-logProb) / sum(tokens) over independent documents (all repetitions are
    // independent here: ranks are i.i.d. Zipf whatever the permutation), with its delta-method SE.
    List<Document> all = all();
    double nll = 0;
    double tokens = 0;
    for (Document d : all) {
      nll -= d.logProb();
      tokens += d.length();
    }
    double ratio = nll / tokens;
    double ss = 0;
    for (Document d : all) {
      double res = -d.logProb() - ratio * d.length();
      ss += res * res;
    }
    int n = all.size();
    double se = Math.sqrt(ss / (n - 1) / n) / (tokens / n);
    assertTrue(Math.abs(ratio - expected) <= StatAssert.SIGMAS * se,
        String.format("-logProb per token %.5f, expected %.5f +- 5 x %.5f", ratio, expected, se));
    assertEquals(6, tokens / n / 16, StatAssert.SIGMAS * 4 * Math.sqrt(1.0 / (n * 16)), "mean sentence length");
  }

  @Test
  void documentsArePureFunctionsOfTheirKey() {
    DocumentSampler fresh = process.newSampler();
    Document late = fresh.sample(SEED, 17, 6); // before base 17's other repetitions
    assertArrayEquals(docs[17][6].tokens(), late.tokens());
    assertArrayEquals(docs[17][6].rank(), late.rank());
    assertEquals(docs[17][6].logProb(), late.logProb());
    assertArrayEquals(docs[3][0].tokens(), fresh.sample(SEED, 3, 0).tokens());
    assertFalse(Arrays.equals(docs[3][0].tokens(), fresh.sample(SEED + 1, 3, 0).tokens()));
    assertThrows(IllegalArgumentException.class, () -> fresh.sample(SEED, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> fresh.sample(SEED, 0, -1));
  }
}
