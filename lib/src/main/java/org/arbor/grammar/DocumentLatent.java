package org.arbor.grammar;

import java.util.Arrays;
import org.arbor.random.Rng;

/**
 * The latent variables of one base document, shared by all its repetitions: per ranked class the
 * document's ranking (a uniformly random permutation of the class), each section's re-ranking of
 * part of it, and each paragraph's topic tokens.
 *
 * <p>A sampler keeps one instance and {@link #reset}s it per base document, because in stream
 * order the repetitions of a base document are far apart and the latents are rebuilt for nearly
 * every document. The document rankings are drawn lazily: each class has its own random stream and
 * a forward Fisher-Yates shuffle, which fixes position r at step r, so {@link #token} needs only
 * the steps up to the rank asked for. The permutation is the same whichever ranks are asked for and
 * in whatever order; Zipf ranks are mostly small, so most of the shuffle is never done. Anything
 * that needs a whole ranking (a section's re-ranking, a token's rank) completes it first. The
 * public constructor completes everything (the eager view tests compare the sampler against).
 */
final class DocumentLatent {
  /** PURPOSE tag of the random stream that draws section re-rankings and topics. */
  static final long PURPOSE = 0x4C4154454E54L; // "LATENT"
  /** PURPOSE tag of the random streams (one per class) that draw the document rankings. */
  static final long RANKING = 0x52414E4B494E47L; // "RANKING"

  private final GrammarSpec g;
  /**
   * document[c][r-1] = token at rank r of class c in the document's ranking; only positions below
   * fixed[c] are final until the ranking is completed. Members themselves for classes never re-ranked.
   */
  final int[][] document;
  /** ranking[s][c][r-1] = token at rank r of class c in section s (document[c] itself if not re-ranked). */
  final int[][][] ranking;
  /**
   * rankOf[s][c][i] = rank (1-based) of the i-th member of class c (members are in id order) in
   * section s, built on first use (null until then and for uniform classes). Sections that keep the
   * same ranking share the array.
   */
  final int[][][] rankOf;
  /** topic[s][p][c] = topic tokens of class c in paragraph p of section s, or null. */
  final int[][][][] topic;
  /** Shuffle steps drawn at a time (even). */
  private static final int PIECE = 32;
  private final int[] fixed;
  /** Per class, the stream of its document ranking; and the stream of the other latents (reused). */
  private final Rng[] streams;
  private final Rng latentStream = new Rng(0, PURPOSE, 0);

  /** The latents of one base document, every ranking complete. */
  DocumentLatent(GrammarSpec g, long seed, long baseDocument) {
    this(g);
    reset(seed, baseDocument);
    for (int c = 0; c < document.length; c++) {
      complete(c);
    }
  }

  /** Buffers for a sampler's latents; call {@link #reset} before use. */
  DocumentLatent(GrammarSpec g) {
    this.g = g;
    int k = g.classes.size();
    document = new int[k][];
    fixed = new int[k];
    streams = new Rng[k];
    for (int c = 0; c < k; c++) {
      streams[c] = new Rng(0, RANKING, c);
      int[] members = g.classes.get(c).members();
      document[c] = g.latents.documentRerank()[c] ? members.clone() : members;
    }
    ranking = new int[g.sections][k][];
    rankOf = new int[g.sections][k][];
    boolean topics = false;
    for (boolean b : g.latents.paragraphTopic()) {
      topics |= b;
    }
    topic = topics ? new int[g.sections][g.paragraphsPerSection][k][] : null;
  }

  /** Makes this the latents of base document baseDocument under seed. */
  void reset(long seed, long baseDocument) {
    GrammarSpec.Latents l = g.latents;
    int k = document.length;
    for (int c = 0; c < k; c++) {
      int[] members = g.classes.get(c).members();
      if (l.documentRerank()[c]) {
        System.arraycopy(members, 0, document[c], 0, members.length);
        fixed[c] = 0;
        streams[c].reseed(seed, RANKING, Rng.key(baseDocument, c));
      } else {
        fixed[c] = members.length;
      }
    }
    Rng rng = latentStream;
    rng.reseed(seed, PURPOSE, baseDocument);
    for (int s = 0; s < g.sections; s++) {
      for (int c = 0; c < k; c++) {
        ranking[s][c] = l.sectionRerank()[c] ? rerank(complete(c), l.sectionFraction(), rng) : document[c];
        rankOf[s][c] = null;
      }
    }
    if (topic == null) {
      return;
    }
    for (int s = 0; s < g.sections; s++) {
      for (int p = 0; p < g.paragraphsPerSection; p++) {
        for (int c = 0; c < k; c++) {
          topic[s][p][c] = l.paragraphTopic()[c] ? choose(g.classes.get(c).members(), l.topicSize(), rng) : null;
        }
      }
    }
  }

  /** Token at rank r + 1 of class c in section s. */
  int token(int s, int c, int r) {
    if (r >= fixed[c]) {
      extend(c, r + 1);
    }
    return ranking[s][c][r];
  }

  /** Class c's whole document ranking. */
  int[] complete(int c) {
    if (fixed[c] < document[c].length) {
      extend(c, document[c].length);
    }
    return document[c];
  }

  /**
   * Forward Fisher-Yates steps until positions 0..to-1 are final, in whole pieces of {@link #PIECE}
   * steps (even, so the draws do not depend on how the shuffle was split, see
   * {@link Rng#shuffleSteps}).
   */
  private void extend(int c, int to) {
    int n = document[c].length;
    int upTo = Math.min(n, (to + PIECE - 1) / PIECE * PIECE);
    streams[c].shuffleSteps(document[c], fixed[c], upTo);
    fixed[c] = upTo;
  }

  /** Rank (1-based) of a member token of ranked class c in section s. */
  int rank(GrammarSpec g, int s, int c, int token) {
    int[] members = g.classes.get(c).members();
    if (rankOf[s][c] == null) {
      // Built on first use: only topics and tokens shared between classes need a token's rank.
      complete(c);
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
