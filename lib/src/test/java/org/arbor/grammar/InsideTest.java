package org.arbor.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentSampler;
import org.junit.jupiter.api.Test;

/** Exact log-probabilities of recursive grammars with empty and unit rules, where brute force is infinite. */
class InsideTest {
  static String grammar(String lexicon, String rules, int sentences) {
    return """
        kind: pcfg
        name: recursive
        lexicon:
        %s
        boundaries:
          sentence: "[EOS]"
        specials: []
        start: A
        rules:
        %s
        hierarchy:
          sections: 1
          paragraphs_per_section: 1
          sentences_per_paragraph: %d
          repetitions: 2
        latents:
          document: {rerank: [S]}
        """.formatted(lexicon.strip().indent(2).stripTrailing(), rules.strip().indent(2).stripTrailing(), sentences);
  }

  /** The sentences of a document as token arrays (boundary excluded). */
  static List<int[]> sentences(Document d, int eos) {
    List<int[]> out = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < d.length(); i++) {
      if (d.tokens()[i] == eos) {
        out.add(java.util.Arrays.copyOfRange(d.tokens(), from, i));
        from = i + 1;
      }
    }
    return out;
  }

  @Test
  void binaryBranchingCountsCatalanTrees() {
    // A -> A A (0.3) | S (0.7): a sentence of n tokens has Catalan(n - 1) derivations, each of
    // probability 0.3^(n-1) 0.7^n times the tokens' Zipf probabilities.
    GrammarSpec g = Presets.parse(grammar("classes:\n  S: {ids: [0, 2]}",
        "A:\n  - {p: 0.3, rhs: [A, A]}\n  - {p: 0.7, rhs: [S]}", 50));
    DocumentSampler sampler = new PcfgProcess(g).newSampler();
    double h = 1 + 1 / 2.0 + 1 / 3.0;
    int longest = 0;
    for (long base = 0; base < 20; base++) {
      DocumentLatent latent = new DocumentLatent(g, 3, base);
      Document d = sampler.sample(3, base, 1);
      double expected = 0;
      for (int[] s : sentences(d, g.boundaryToken(0))) {
        int n = s.length;
        longest = Math.max(longest, n);
        double catalan = 1; // Catalan(n - 1) = C(2(n-1), n-1) / n
        for (int i = 1; i < n; i++) {
          catalan = catalan * (n - 1 + i) / i;
        }
        catalan /= n;
        expected += Math.log(catalan) + (n - 1) * Math.log(0.3) + n * Math.log(0.7);
        for (int token : s) {
          expected -= Math.log(latent.rank(g, 0, 0, token) * h);
        }
      }
      assertEquals(expected, d.logProb(), 1e-12 * Math.abs(expected));
    }
    assertTrue(longest >= 8, "the sample has long sentences: " + longest);
  }

  static final String CYCLES_LEXICON = """
      classes:
        S: {ids: [0, 1]}
        V: {ids: [2, 2]}
      intersection: {size: 1, classes: [S, V]}
      """;
  /** Empty rules, a unit cycle A -> B -> A, recursion, and a token (3) shared by S and V. */
  static final String CYCLES = """
      A:
        - {p: 0.2, rhs: [B]}
        - {p: 0.4, rhs: [S, B]}
        - {p: 0.1, rhs: [V, A, S]}
        - {p: 0.3, rhs: []}
      B:
        - {p: 0.4, rhs: [A]}
        - {p: 0.6, rhs: []}
      """;

  /**
   * Lower bound on P(tokens) by depth-first search over leftmost derivations, pruning branches below
   * a probability floor; pruned[0] collects the pruned probability, an upper bound on what is missing.
   */
  static double search(GrammarSpec g, double[][] tokenP, int[] tokens, List<Integer> form, int pos, double p,
      double floor, double[] pruned) {
    int k = g.classes.size();
    int classes = 0;
    for (int x : form) {
      classes += x < k ? 1 : 0;
    }
    if (classes > tokens.length - pos) {
      return 0;
    }
    if (form.isEmpty()) {
      return pos == tokens.length ? p : 0;
    }
    if (p < floor) {
      pruned[0] += p;
      return 0;
    }
    int head = form.get(0);
    List<Integer> rest = form.subList(1, form.size());
    if (head < k) {
      double q = tokenP[pos][head];
      return q == 0 ? 0 : search(g, tokenP, tokens, new ArrayList<>(rest), pos + 1, p * q, floor, pruned);
    }
    double total = 0;
    for (Rule r : g.rules.get(head - k)) {
      List<Integer> next = new ArrayList<>();
      for (int x : r.rhs()) {
        next.add(x);
      }
      next.addAll(rest);
      total += search(g, tokenP, tokens, next, pos, p * r.probability(), floor, pruned);
    }
    return total;
  }

  @Test
  void emptyRulesUnitCyclesAndSharedTokensMatchSearch() {
    GrammarSpec g = Presets.parse(grammar(CYCLES_LEXICON, CYCLES, 20));
    DocumentSampler sampler = new PcfgProcess(g).newSampler();
    double hS = 1 + 1 / 2.0 + 1 / 3.0;
    int empty = 0;
    int ambiguous = 0;
    int nonEmpty = 0;
    for (long base = 0; base < 10; base++) {
      DocumentLatent latent = new DocumentLatent(g, 4, base);
      Document d = sampler.sample(4, base, 0);
      double lower = 0;
      double upper = 0;
      for (int[] s : sentences(d, g.boundaryToken(0))) {
        double[][] tp = new double[s.length][2];
        for (int i = 0; i < s.length; i++) {
          if (s[i] != 2) {
            tp[i][0] = 1 / (latent.rank(g, 0, 0, s[i]) * hS); // S: Zipf over its permutation of {0, 1, 3}
          }
          if (s[i] >= 2) {
            tp[i][1] = s[i] == 2 ? 1 / 1.5 : 0.5 / 1.5; // V = {2, 3}, never re-ranked: Zipf(2, 1)
          }
          ambiguous += s[i] == 3 ? 1 : 0;
        }
        double[] pruned = new double[1];
        double p = search(g, tp, s, new ArrayList<>(List.of(g.start)), 0, 1, 1e-22, pruned);
        assertTrue(pruned[0] < 1e-10 * p, "search is tight: pruned " + pruned[0] + " of " + p);
        lower += Math.log(p);
        upper += Math.log(p + pruned[0]);
        empty += s.length == 0 ? 1 : 0;
        nonEmpty += s.length >= 3 ? 1 : 0;
      }
      assertTrue(d.logProb() >= lower - 1e-12 * Math.abs(lower) && d.logProb() <= upper + 1e-12 * Math.abs(upper),
          "logProb " + d.logProb() + " outside [" + lower + ", " + upper + "]");
    }
    assertTrue(empty > 0 && ambiguous > 0 && nonEmpty > 0, "sample covers empty, long and ambiguous sentences");
  }
}
