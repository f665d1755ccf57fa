package org.arbor.grammar;

import java.util.Arrays;
import org.arbor.random.Rng;

/**
 * The latent variables of one base document, shared by all its repetitions: per ranked class the
 * document's ranking (a uniformly random permutation of the class), each section's re-ranking of
 * part of it, and each paragraph's topic tokens.
 */
final class DocumentLatent {
  /** PURPOSE tag of the random stream that draws latents (sentences use another). */
  static final long PURPOSE = 0x4C4154454E54L; // "LATENT"

  /** document[c][r-1] = token at rank r of class c in the document's ranking. */
  final int[][] document;
  /** ranking[s][c][r-1] = token at rank r of class c in section s. */
  final int[][][] ranking;
  /**
   * rankOf[s][c][i] = rank (1-based) of the i-th member of class c (members are in id order) in
   * section s, built on first use (null until then and for uniform classes). Sections that keep the
   * same ranking share the array.
   */
  final int[][][] rankOf;
  /** topic[s][p][c] = topic tokens of class c in paragraph p of section s, or null. */
  final int[][][][] topic;

  DocumentLatent(GrammarSpec g, long seed, long baseDocument) {
    Rng rng = new Rng(seed, PURPOSE, baseDocument);
    GrammarSpec.Latents l = g.latents;
    int k = g.classes.size();
    document = new int[k][];
    for (int c = 0; c < k; c++) {
      int[] members = g.classes.get(c).members();
      if (l.documentRerank()[c]) {
        int[] p = rng.permutation(members.length);
        document[c] = new int[members.length];
        for (int i = 0; i < p.length; i++) {
          document[c][i] = members[p[i]];
        }
      } else {
        document[c] = members;
      }
    }
    ranking = new int[g.sections][k][];
    rankOf = new int[g.sections][k][];
    for (int s = 0; s < g.sections; s++) {
      for (int c = 0; c < k; c++) {
        ranking[s][c] = l.sectionRerank()[c] ? rerank(document[c], l.sectionFraction(), rng) : document[c];
      }
    }
    boolean topics = false;
    for (boolean b : l.paragraphTopic()) {
      topics |= b;
    }
    if (!topics) {
      topic = null;
      return;
    }
    topic = new int[g.sections][g.paragraphsPerSection][k][];
    for (int s = 0; s < g.sections; s++) {
      for (int p = 0; p < g.paragraphsPerSection; p++) {
        for (int c = 0; c < k; c++) {
          if (l.paragraphTopic()[c]) {
            topic[s][p][c] = choose(g.classes.get(c).members(), l.topicSize(), rng);
          }
        }
      }
    }
  }

  /** Rank (1-based) of a member token of ranked class c in section s. */
  int rank(GrammarSpec g, int s, int c, int token) {
    int[] members = g.classes.get(c).members();
    if (rankOf[s][c] == null) {
      // Built on first use: only topics and tokens shared between classes need a token's rank.
      if (s > 0 && ranking[s][c] == ranking[s - 1][c] && rankOf[s - 1][c] != null) {
        rankOf[s][c] = rankOf[s - 1][c];
      } else {
        rankOf[s][c] = new int[members.length];
        for (int r = 0; r < ranking[s][c].length; r++) {
          rankOf[s][c][Arrays.binarySearch(members, ranking[s][c][r])] = r + 1;
        }
      }
    }
    return rankOf[s][c][Arrays.binarySearch(members, token)];
  }

  /**
   * Re-ranks a section's copy: m = round(fraction * n) rank positions, a uniform random subset,
   * exchange their tokens by a uniform random derangement, so exactly m positions change (a plain
   * permutation would leave about one of them in place, re-ranking fewer than the config says).
   * Validation guarantees m >= 2.
   */
  private static int[] rerank(int[] document, double fraction, Rng rng) {
    int n = document.length;
    int m = (int) Math.round(fraction * n);
    int[] positions = rng.permutation(n); // first m entries: a uniform random m-subset
    int[] to = derangement(m, rng);
    int[] out = document.clone();
    for (int i = 0; i < m; i++) {
      out[positions[i]] = document[positions[to[i]]];
    }
    return out;
  }

  /** A uniform random permutation of 0..m-1 without fixed points (m >= 2), by rejection: about e tries. */
  static int[] derangement(int m, Rng rng) {
    while (true) {
      int[] p = rng.permutation(m);
      boolean fixed = false;
      for (int i = 0; i < m && !fixed; i++) {
        fixed = p[i] == i;
      }
      if (!fixed) {
        return p;
      }
    }
  }

  /** A uniform random subset of size k (partial Fisher-Yates). */
  private static int[] choose(int[] members, int k, Rng rng) {
    int[] a = members.clone();
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(a.length - i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return Arrays.copyOf(a, k);
  }
}
