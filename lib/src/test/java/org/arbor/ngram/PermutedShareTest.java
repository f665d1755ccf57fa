package org.arbor.ngram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** permuted_share: the share of context tables with their own ranking. */
class PermutedShareTest {
  private static NgramProcess process(String ranking) {
    return NgramTestSupport.process("share.yaml", BadConfigTest.GOOD.replace("count: 3", "count: 2000")
        .replace("ranking: shared", ranking));
  }

  private static boolean identity(int[] p) {
    for (int i = 0; i < p.length; i++) {
      if (p[i] != i) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aShareOfOneIsTheFullyPermutedProcess() {
    NgramProcess.Tables all = process("ranking: permuted").tables(5);
    NgramProcess.Tables one = process("ranking: permuted\n  permuted_share: 1").tables(5);
    for (int t = 0; t < 2000; t++) {
      assertArrayEquals(all.perm[t], one.perm[t]);
    }
  }

  @Test
  void aShareOfTablesPermutesTheOthersRankById() {
    NgramProcess.Tables all = process("ranking: permuted").tables(5);
    NgramProcess.Tables part = process("ranking: permuted\n  permuted_share: 0.3").tables(5);
    int permuted = 0;
    for (int t = 0; t < 2000; t++) {
      if (identity(part.perm[t])) {
        assertArrayEquals(part.rankOf[t], part.perm[t], "an id-ranked table's ranks are its ids");
      } else {
        assertArrayEquals(all.perm[t], part.perm[t], "a permuted table keeps the fully permuted process's order");
        permuted++;
      }
    }
    // 5 content tokens: a random permutation is the identity with probability 1/120 (negligible here).
    double sd = Math.sqrt(2000 * 0.3 * 0.7);
    assertEquals(600, permuted, 5 * sd);
  }
}
