package org.arbor.probe.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.arbor.corpus.Document;
import org.junit.jupiter.api.Test;

/** Per-token targets of a hand-written document. */
class LatentTargetTest {
  static final double NaN = Double.NaN;
  // Section 0 paragraph 0: a sentence of 3 tokens, one of 2, a paragraph marker (sentence -1);
  // section 1: a sentence of 2.
  static final Document PCFG = new Document(
      new int[] {10, 20, 99, 11, 30, 98, 21, 99},
      new short[] {0, 1, 4, 0, 3, 5, 1, 4},
      new int[] {3, 1, 0, 9, 0, 0, 300, 0},
      new short[] {0, 0, 0, 0, 0, 0, 1, 1},
      new short[] {0, 0, 0, 0, 0, 0, 0, 0},
      new short[] {0, 0, 0, 1, 1, -1, 0, 0},
      new short[] {0, 0, -1, 0, 1, -1, 0, -1},
      new short[0], 0);
  static final Document NGRAM = new Document(new int[] {5, 6, 7, 9, 5}, new short[] {0, 0, 1, 0, 1}, new int[0],
      new short[0], new short[0], new short[] {0, 0, 0, 1, 1}, new short[0], new short[] {1, 2, 0, 1, 0}, 0);

  @Test
  void positionCountsFromEachSentenceStart() {
    assertArrayEquals(new double[] {0, 1, 2, 0, 1, NaN, 0, 1}, LatentTarget.POSITION.values(PCFG, 8, 32));
    assertArrayEquals(new double[] {0, 1, 1, 0, 1, NaN, 0, 1}, LatentTarget.POSITION.values(PCFG, 8, 1));
    assertArrayEquals(new double[] {0, 1, 2, 0, 1}, LatentTarget.POSITION.values(NGRAM, 5, 32));
  }

  @Test
  void rankIsLogRankAndBucketIsItsBinaryOrder() {
    assertArrayEquals(new double[] {Math.log(3), 0, NaN, Math.log(9), NaN, NaN, Math.log(300), NaN},
        LatentTarget.RANK.values(PCFG, 8, 32), 1e-15);
    assertArrayEquals(new double[] {1, 0, NaN, 3, NaN, NaN, 8, NaN}, LatentTarget.RANK_BUCKET.values(PCFG, 8, 32));
  }

  @Test
  void indicesAreCappedTruncatedAndMissingOnBoundaries() {
    assertArrayEquals(new double[] {0, 0, NaN, 0, 1, NaN}, LatentTarget.CLAUSE.values(PCFG, 6, 32));
    assertArrayEquals(new double[] {0, 0, 0, 1, 1, NaN, 0, 0}, LatentTarget.SENTENCE.values(PCFG, 8, 32));
    assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 1, 1}, LatentTarget.SECTION.values(PCFG, 8, 32));
    assertArrayEquals(new double[] {0, 1, 4, 0, 3, 5, 1, 4}, LatentTarget.CATEGORY.values(PCFG, 8, 2));
    assertArrayEquals(new double[] {0, 0, 0, 1}, LatentTarget.SENTENCE.values(NGRAM, 4, 32));
  }

  @Test
  void unannotatedTargetsAreNull() {
    for (LatentTarget t : new LatentTarget[] {LatentTarget.CLAUSE, LatentTarget.PARAGRAPH, LatentTarget.SECTION,
        LatentTarget.RANK, LatentTarget.RANK_BUCKET}) {
      assertNull(t.values(NGRAM, 5, 32), t.key());
    }
  }

  @Test
  void namesParseAndUnknownOnesAreNamed() {
    assertEquals(LatentTarget.RANK_BUCKET, LatentTarget.parse("rank_bucket"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LatentTarget.parse("ranks"));
    assertEquals(true, e.getMessage().contains("'ranks'"));
  }
}
