package org.arbor.grammar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.arbor.random.Rng;
import org.arbor.random.StatAssert;
import org.junit.jupiter.api.Test;

class DocumentLatentTest {
  static final GrammarSpec UKP = Presets.grammar("ukp-released");
  static final GrammarSpec PAPER = Presets.grammar("paper-config");

  static DocumentLatent latent(GrammarSpec g, long seed, long base) {
    return new DocumentLatent(g, seed, base);
  }

  private static int[] sorted(int[] a) {
    int[] b = a.clone();
    Arrays.sort(b);
    return b;
  }

  @Test
  void documentRankingIsAPermutationOfEachRankedClass() {
    DocumentLatent l = latent(UKP, 1, 0);
    for (int c = 0; c < 3; c++) {
      assertArrayEquals(UKP.classes.get(c).members(), sorted(l.document[c]));
      assertNotEquals(Arrays.toString(UKP.classes.get(c).members()), Arrays.toString(l.document[c]));
      for (int s = 0; s < UKP.sections; s++) {
        assertSame(l.document[c], l.ranking[s][c], "ukp-released sections keep the document's ranking");
      }
    }
    assertSame(UKP.classes.get(3).members(), l.document[3], "connectors are never re-ranked");
    assertNull(l.topic);
  }

  @Test
  void lazyRankingsEqualTheCompleteOnesWhateverIsAskedAndWhatCameBefore() {
    // A sampler's latents are reused across base documents and drawn only as far as the ranks it
    // asks for, in its own order; every token must still be the complete ranking's.
    for (GrammarSpec g : new GrammarSpec[] {UKP, PAPER}) {
      DocumentLatent reused = new DocumentLatent(g);
      Rng order = new Rng(9, 9, 9);
      for (long base : new long[] {4, 5, 4, 900}) {
        DocumentLatent eager = latent(g, 11, base);
        reused.reset(11, base);
        for (int q = 0; q < 200; q++) {
          int s = order.nextInt(g.sections);
          int c = order.nextInt(3);
          int r = q < 100 ? order.nextInt(8) : order.nextInt(g.classes.get(c).size());
          assertEquals(eager.ranking[s][c][r], reused.token(s, c, r), g.name + " base " + base + " rank " + (r + 1));
        }
        for (int c = 0; c < g.classes.size(); c++) {
          assertArrayEquals(eager.document[c], reused.complete(c));
        }
      }
    }
  }

  @Test
  void documentRankingIsUniform() {
    // Rank of subject 0 in 3000 base documents: uniform over 300 ranks, checked in 10 bins of 30.
    long[] bins = new long[10];
    for (long base = 0; base < 3000; base++) {
      int[] r = latent(UKP, 2, base).document[0];
      for (int i = 0; i < r.length; i++) {
        if (r[i] == 0) {
          bins[i / 30]++;
        }
      }
    }
    double[] p = new double[10];
    Arrays.fill(p, 0.1);
    StatAssert.chiSquare("rank of subject 0", bins, p);
  }

  @Test
  void latentsDependOnSeedAndBaseDocumentOnly() {
    assertArrayEquals(latent(PAPER, 3, 7).ranking[4][1], latent(PAPER, 3, 7).ranking[4][1]);
    assertNotEquals(Arrays.toString(latent(PAPER, 3, 7).document[0]), Arrays.toString(latent(PAPER, 3, 8).document[0]));
    assertNotEquals(Arrays.toString(latent(PAPER, 3, 7).document[0]), Arrays.toString(latent(PAPER, 4, 7).document[0]));
  }

  @Test
  void sectionsReRankExactlyTheConfiguredNumberOfPositions() {
    // Classes S, V, O have 300 + 70 shared = 370 tokens; round(0.1 * 370) = 37 positions move.
    long movedAtRankOne = 0;
    long cases = 0;
    for (long base = 0; base < 100; base++) {
      DocumentLatent l = latent(PAPER, 5, base);
      for (int c = 0; c < 3; c++) {
        int[] doc = l.document[c];
        assertEquals(370, doc.length);
        assertArrayEquals(PAPER.classes.get(c).members(), sorted(doc));
        for (int s = 0; s < PAPER.sections; s++) {
          int[] sec = l.ranking[s][c];
          int moved = 0;
          int[] before = new int[37];
          int[] after = new int[37];
          for (int r = 0; r < doc.length; r++) {
            if (sec[r] != doc[r]) {
              if (moved < 37) {
                before[moved] = doc[r];
                after[moved] = sec[r];
              }
              moved++;
            }
          }
          assertEquals(37, moved, "positions re-ranked in section " + s + " of class " + c);
          assertArrayEquals(sorted(before), sorted(after), "moved positions exchange their tokens among themselves");
          if (sec[0] != doc[0]) {
            movedAtRankOne++;
          }
          cases++;
        }
        assertNotEquals(Arrays.toString(l.ranking[0][c]), Arrays.toString(l.ranking[1][c]), "sections draw their own re-ranking");
      }
      assertSame(PAPER.classes.get(3).members(), l.ranking[0][3], "connectors keep their order");
    }
    StatAssert.binomial("rank 1 is among the re-ranked positions", movedAtRankOne, cases, 0.1);
  }

  @Test
  void derangementIsUniform() {
    // The 9 derangements of 4 elements, each with probability 1/9.
    Rng rng = new Rng(6, 6, 6);
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    for (int t = 0; t < 18_000; t++) {
      int[] p = DocumentLatent.derangement(4, rng);
      for (int i = 0; i < 4; i++) {
        assertNotEquals(i, p[i]);
      }
      counts.merge(Arrays.toString(p), 1L, Long::sum);
    }
    assertEquals(9, counts.size());
    double[] uniform = new double[9];
    Arrays.fill(uniform, 1 / 9.0);
    StatAssert.chiSquare("derangements of 4", counts.values().stream().mapToLong(Long::longValue).toArray(), uniform);
  }

  @Test
  void paragraphTopicsAreUniformSubsetsOfFiveTokens() {
    int paragraphs = 0;
    long[] inTopic = new long[1000];
    for (long base = 0; base < 20; base++) {
      DocumentLatent l = latent(PAPER, 7, base);
      for (int s = 0; s < PAPER.sections; s++) {
        for (int p = 0; p < PAPER.paragraphsPerSection; p++) {
          assertNull(l.topic[s][p][1], "verbs have no topic");
          assertNull(l.topic[s][p][3], "connectors have no topic");
          for (int c : new int[] {0, 2}) {
            int[] t = l.topic[s][p][c];
            assertEquals(5, t.length);
            assertEquals(5, Arrays.stream(t).distinct().count(), "topic tokens are distinct");
            for (int x : t) {
              assertTrue(Arrays.stream(PAPER.classes.get(c).members()).anyMatch(m -> m == x), "topic token in its class");
              if (c == 0) {
                inTopic[x]++;
              }
            }
          }
          paragraphs++;
        }
      }
    }
    for (int x : PAPER.classes.get(0).members()) {
      StatAssert.binomial("subject " + x + " in a paragraph topic", inTopic[x], paragraphs, 5 / 370.0);
    }
  }
}
