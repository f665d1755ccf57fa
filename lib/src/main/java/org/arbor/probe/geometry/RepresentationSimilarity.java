package org.arbor.probe.geometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Representation-similarity analysis of the latent hierarchy (in the spirit of Kriegeskorte et al.
 * 2008 and of the anisotropy analysis of Ethayarajh 2019): the mean cosine similarity of two tokens'
 * hidden states when they share a unit of a level (sentence, paragraph, section, document) against
 * when they do not.
 *
 * <p>Definitions, over unordered pairs of distinct tokens, each pair weighing the same:
 * <ul>
 *   <li>within(level): both tokens in the same unit of the level;
 *   <li>across(level): both in the same unit of the next annotated level up (the parent: paragraph
 *       for sentence, section for paragraph, document for section) but in different units of the
 *       level; for documents, tokens of two different documents. Holding the parent fixed makes
 *       within - across the effect of crossing that level's boundary alone: measured against the
 *       whole document instead, the sentence gap would also contain the paragraph and section gaps.
 * </ul>
 * Tokens without the level's annotation (a paragraph marker has no sentence) take no part in it.
 *
 * <p>Centring (see {@link Centring}): by default the mean hidden state of all tokens is subtracted
 * first. Residual streams are anisotropic (a large common direction, Ethayarajh 2019), which pushes
 * every cosine towards 1 and compresses the within/across contrast; centring measures directions
 * relative to the cloud's centre, where two unrelated tokens have an expected cosine near 0. The
 * token's category dominates the remaining directions, and a sentence holds tokens of different
 * categories (S, V, O), so under mean centring within-sentence pairs can be less similar than pairs
 * across sentences; centring by category (subtracting each category's mean from its tokens) removes
 * that confound and leaves what the states share beyond their category. Rows that are exactly their
 * centre have no direction and take no part.
 *
 * <p>The pair sums come from unit sums of the normalised vectors u: the sum over pairs in a unit U is
 * (|sum_U u|^2 - |U|) / 2, and over pairs split between the children of a parent P it is
 * (|sum_P u|^2 - sum_children |sum_C u|^2) / 2, so the cost is linear in the tokens.
 */
public final class RepresentationSimilarity {
  /** Levels of the hierarchy, innermost first. */
  public enum Level {
    SENTENCE, PARAGRAPH, SECTION, DOCUMENT;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Level parse(String name) {
      for (Level l : values()) {
        if (l.key().equals(name)) {
          return l;
        }
      }
      throw new IllegalArgumentException("unknown level '" + name + "' (expected one of "
          + Arrays.stream(values()).map(Level::key).toList() + ")");
    }
  }

  /**
   * Unit membership of every row: its document, and its section, paragraph and sentence indices
   * (negative = none); an index array is null where the process does not annotate the level.
   */
  public record Hierarchy(int[] document, int[] section, int[] paragraph, int[] sentence) {
    int[] index(Level level) {
      return switch (level) {
        case SENTENCE -> sentence;
        case PARAGRAPH -> paragraph;
        case SECTION -> section;
        case DOCUMENT -> document;
      };
    }
  }

  /** What is subtracted from each hidden state before its cosines. */
  public enum Centring {
    /** Nothing: raw cosines. */
    NONE,
    /** The mean of all tokens' states. */
    MEAN,
    /** The mean of the states of the token's category. */
    CATEGORY;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Centring parse(String name) {
      for (Centring c : values()) {
        if (c.key().equals(name)) {
          return c;
        }
      }
      throw new IllegalArgumentException("unknown centring '" + name + "' (expected none, mean or category)");
    }
  }

  /** One level's result: mean cosines and the number of pairs behind each. */
  public record Similarity(Level level, double within, double across, long withinPairs, long acrossPairs) {}

  private RepresentationSimilarity() {}

  /**
   * within and across for each requested level the hierarchy annotates and that has pairs of both
   * kinds (a grammar with one section per document has no across pairs at the section level).
   */
  public static List<Similarity> measure(Features x, Hierarchy h, List<Level> levels, Centring centring,
      int[] category) {
    int n = x.rows();
    int d = x.dim();
    float[] v = x.values();
    // Group of each row whose mean is subtracted: one group for MEAN, the category for CATEGORY.
    int[] group = new int[n];
    if (centring == Centring.CATEGORY) {
      if (category == null || category.length != n) {
        throw new IllegalArgumentException("category centring needs a category per row");
      }
      group = category;
    }
    Map<Integer, double[]> means = new HashMap<>();
    Map<Integer, Integer> counts = new HashMap<>();
    if (centring != Centring.NONE) {
      for (int r = 0; r < n; r++) {
        double[] m = means.computeIfAbsent(group[r], g -> new double[d]);
        for (int j = 0; j < d; j++) {
          m[j] += v[r * d + j];
        }
        counts.merge(group[r], 1, Integer::sum);
      }
      means.forEach((g, m) -> {
        for (int j = 0; j < d; j++) {
          m[j] /= counts.get(g);
        }
      });
    }
    double[] zero = new double[d];
    double[] unit = new double[n * d];
    boolean[] direction = new boolean[n];
    for (int r = 0; r < n; r++) {
      double[] centre = centring == Centring.NONE ? zero : means.get(group[r]);
      double norm = 0;
      for (int j = 0; j < d; j++) {
        double c = v[r * d + j] - centre[j];
        unit[r * d + j] = c;
        norm += c * c;
      }
      direction[r] = norm > 0;
      double inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (int j = 0; j < d; j++) {
        unit[r * d + j] *= inv;
      }
    }
    List<Similarity> out = new ArrayList<>();
    for (Level level : Level.values()) {
      if (!levels.contains(level) || h.index(level) == null) {
        continue;
      }
      Similarity s = level(unit, d, direction, h, level);
      if (s.withinPairs() > 0 && s.acrossPairs() > 0) {
        out.add(s);
      }
    }
    return out;
  }

  private static Similarity level(double[] unit, int d, boolean[] direction, Hierarchy h, Level level) {
    List<int[]> path = new ArrayList<>(); // the annotated indices from the document down to the level
    for (Level l : new Level[] {Level.DOCUMENT, Level.SECTION, Level.PARAGRAPH, Level.SENTENCE}) {
      if (h.index(l) != null) {
        path.add(h.index(l));
      }
      if (l == level) {
        break;
      }
    }
    // The parent is the path without its last step; for documents, the one unit "all documents".
    Map<List<Integer>, double[]> unitSums = new HashMap<>();
    Map<List<Integer>, Long> unitCounts = new HashMap<>();
    Map<List<Integer>, double[]> parentSums = new HashMap<>();
    Map<List<Integer>, Long> parentCounts = new HashMap<>();
    Map<List<Integer>, List<List<Integer>>> children = new HashMap<>();
    int n = direction.length;
    for (int r = 0; r < n; r++) {
      if (!direction[r]) {
        continue;
      }
      List<Integer> key = new ArrayList<>(path.size());
      boolean member = true;
      for (int[] index : path) {
        member &= index[r] >= 0;
        key.add(index[r]);
      }
      if (!member) {
        continue;
      }
      List<Integer> parent = List.copyOf(key.subList(0, key.size() - 1));
      List<Integer> unitKey = List.copyOf(key);
      if (!unitSums.containsKey(unitKey)) {
        children.computeIfAbsent(parent, p -> new ArrayList<>()).add(unitKey);
      }
      add(unitSums.computeIfAbsent(unitKey, k -> new double[d]), unit, r, d);
      unitCounts.merge(unitKey, 1L, Long::sum);
      add(parentSums.computeIfAbsent(parent, k -> new double[d]), unit, r, d);
      parentCounts.merge(parent, 1L, Long::sum);
    }
    double withinSum = 0;
    long withinPairs = 0;
    double acrossSum = 0;
    long acrossPairs = 0;
    for (Map.Entry<List<Integer>, List<List<Integer>>> e : children.entrySet()) {
      double childSquares = 0;
      long childCountSquares = 0;
      for (List<Integer> c : e.getValue()) {
        double sq = squaredNorm(unitSums.get(c));
        long m = unitCounts.get(c);
        withinSum += sq - m;
        withinPairs += m * (m - 1);
        childSquares += sq;
        childCountSquares += m * m;
      }
      long np = parentCounts.get(e.getKey());
      acrossSum += squaredNorm(parentSums.get(e.getKey())) - childSquares;
      acrossPairs += np * np - childCountSquares;
    }
    // The sums count ordered pairs; halve the counts to report unordered pairs.
    return new Similarity(level, withinPairs > 0 ? withinSum / withinPairs : Double.NaN,
        acrossPairs > 0 ? acrossSum / acrossPairs : Double.NaN, withinPairs / 2, acrossPairs / 2);
  }

  private static void add(double[] sum, double[] unit, int r, int d) {
    for (int j = 0; j < d; j++) {
      sum[j] += unit[r * d + j];
    }
  }

  private static double squaredNorm(double[] a) {
    return Lbfgs.dot(a, a);
  }
}
