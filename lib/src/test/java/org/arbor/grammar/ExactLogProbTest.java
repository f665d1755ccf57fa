package org.arbor.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentSampler;
import org.junit.jupiter.api.Test;

/**
 * Document.logProb() against brute force: every derivation of a small grammar enumerated, every
 * token probability computed from the document's latents, and P(sentence | latents) summed over all
 * derivations that yield the sentence (tokens shared by several classes make derivations ambiguous).
 */
class ExactLogProbTest {
  /**
   * Every feature at once: 8 content ids, S = {0, 1, 6, 7}, V = {2, 3, 6, 7}, O = {4, 6, 7} with Zipf
   * exponent 2, C = {5} uniform; sections re-rank S and V, paragraphs have a one-token topic of S
   * and O; an optional clause; [EOS] and [EOP] boundaries.
   */
  static final String RICH = """
      kind: pcfg
      name: rich
      lexicon:
        size: 8
        classes:
          S: {size: 2}
          V: {size: 2}
          O: {size: 1, zipf: 2.0}
          C: {size: 1, distribution: uniform}
        intersection: {size: 2, classes: [S, V, O]}
      boundaries:
        sentence: "[EOS]"
        paragraph: "[EOP]"
      specials: []
      start: SENTENCE
      rules:
        SENTENCE:
          - {p: 1/2, rhs: [V, S, O]}
          - {p: 1/2, rhs: [S, V, O, CLAUSES]}
        CLAUSES:
          - {p: 1/2, rhs: []}
          - {p: 1/2, rhs: [CLAUSE]}
        CLAUSE:
          - {p: 1, rhs: [C, S, V, O]}
      hierarchy:
        sections: 2
        paragraphs_per_section: 2
        sentences_per_paragraph: 2
        repetitions: 3
        clause: CLAUSE
      latents:
        document: {rerank: [S, V, O]}
        section: {rerank: [S, V], fraction: 0.5}
        paragraph: {topic: [S, O], size: 1, weight: 0.3}
      """;

  /** All derivations of a finite grammar as class sequences with their total probability. */
  static Map<List<Integer>, Double> classSequences(GrammarSpec g) {
    Map<List<Integer>, Double> out = new HashMap<>();
    expand(g, new ArrayList<>(List.of(g.start)), 1.0, out);
    return out;
  }

  private static void expand(GrammarSpec g, List<Integer> form, double p, Map<List<Integer>, Double> out) {
    int k = g.classes.size();
    for (int i = 0; i < form.size(); i++) {
      int sym = form.get(i);
      if (sym >= k) {
        for (Rule r : g.rules.get(sym - k)) {
          List<Integer> next = new ArrayList<>(form.subList(0, i));
          for (int x : r.rhs()) {
            next.add(x);
          }
          next.addAll(form.subList(i + 1, form.size()));
          expand(g, next, p * r.probability(), out);
        }
        return;
      }
    }
    out.merge(form, p, Double::sum);
  }

  /** P(token | a slot of class c in section s, paragraph p), from first principles. */
  static double tokenProbability(GrammarSpec g, DocumentLatent l, int c, int token, int s, int p) {
    LexicalClass lc = g.classes.get(c);
    if (Arrays.stream(lc.members()).noneMatch(m -> m == token)) {
      return 0;
    }
    if (lc.uniform()) {
      return 1.0 / lc.size();
    }
    int[] ranking = l.ranking[s][c];
    int rank = 0;
    double h = 0;
    for (int r = 1; r <= ranking.length; r++) {
      h += Math.pow(r, -lc.zipfExponent());
      if (ranking[r - 1] == token) {
        rank = r;
      }
    }
    double zipf = Math.pow(rank, -lc.zipfExponent()) / h;
    int[] topic = l.topic == null ? null : l.topic[s][p][c];
    if (topic == null) {
      return zipf;
    }
    double w = g.latents.topicWeight();
    boolean inTopic = Arrays.stream(topic).anyMatch(x -> x == token);
    return (1 - w) * zipf + (inTopic ? w / topic.length : 0);
  }

  /** P(sentence | latents): the sum over derivations (class sequences) that can yield it. */
  static double sentenceProbability(GrammarSpec g, DocumentLatent l, Map<List<Integer>, Double> seqs,
      int[] tokens, int s, int p) {
    double total = 0;
    for (Map.Entry<List<Integer>, Double> e : seqs.entrySet()) {
      List<Integer> seq = e.getKey();
      if (seq.size() != tokens.length) {
        continue;
      }
      double q = e.getValue();
      for (int i = 0; i < tokens.length; i++) {
        q *= tokenProbability(g, l, seq.get(i), tokens[i], s, p);
      }
      total += q;
    }
    return total;
  }

  /** ln P(document | latents) by brute force; boundaries are deterministic given the layout. */
  static double bruteForce(GrammarSpec g, Document d, DocumentLatent l) {
    Map<List<Integer>, Double> seqs = classSequences(g);
    int eos = g.boundaryToken(0);
    double lp = 0;
    List<Integer> sentence = new ArrayList<>();
    for (int i = 0; i < d.length(); i++) {
      int t = d.tokens()[i];
      if (t == eos) {
        int[] tokens = sentence.stream().mapToInt(Integer::intValue).toArray();
        lp += Math.log(sentenceProbability(g, l, seqs, tokens, d.section()[i], d.paragraph()[i]));
        sentence.clear();
      } else if (d.category()[i] < g.classes.size()) {
        sentence.add(t);
      }
    }
    return lp;
  }

  @Test
  void richGrammarMatchesBruteForce() {
    GrammarSpec g = Presets.parse(RICH);
    DocumentSampler sampler = new PcfgProcess(g).newSampler();
    int ambiguous = 0;
    for (long base = 0; base < 200; base++) {
      DocumentLatent latent = new DocumentLatent(g, 9, base);
      for (int rep = 0; rep < g.repetitions; rep++) {
        Document d = sampler.sample(9, base, rep);
        double expected = bruteForce(g, d, latent);
        assertEquals(expected, d.logProb(), 1e-12 * Math.abs(expected), "base " + base + " repetition " + rep);
        for (int i = 0; i + 2 < d.length(); i++) {
          if (d.tokens()[i] >= 6 && d.tokens()[i] <= 7 && d.tokens()[i + 1] >= 6 && d.tokens()[i + 1] <= 7
              && (i == 0 || d.category()[i - 1] >= 4)) {
            ambiguous++; // a sentence that is both V S O and S V O
          }
        }
      }
    }
    assertTrue(ambiguous > 100, "the sample contains ambiguous sentences: " + ambiguous);
  }

  /**
   * One sentence per document and one base document with many repetitions: all documents share the
   * latents, so exp(logProb) over the distinct sentences observed must sum to 1 once every sentence
   * of positive probability has been seen (the support is computed by brute force).
   */
  static final String SMALL = """
      kind: pcfg
      name: small
      lexicon:
        size: 6
        classes:
          S: {size: 1}
          V: {size: 1}
          O: {size: 1}
          C: {size: 2, distribution: uniform}
        intersection: {size: 1, classes: [S, V]}
      boundaries:
        sentence: "[EOS]"
      specials: []
      start: SENTENCE
      rules:
        SENTENCE:
          - {p: 1/2, rhs: [V, S, O]}
          - {p: 1/2, rhs: [S, V, O, CLAUSES]}
        CLAUSES:
          - {p: 1/2, rhs: []}
          - {p: 1/2, rhs: [CLAUSE]}
        CLAUSE:
          - {p: 1, rhs: [C, S, V, O]}
      hierarchy:
        sections: 1
        paragraphs_per_section: 1
        sentences_per_paragraph: 1
        repetitions: 20000
        clause: CLAUSE
      latents:
        document: {rerank: [S, V]}
        paragraph: {topic: [S], size: 1, weight: 0.4}
      """;

  @Test
  void probabilitiesOfAllSentencesSumToOne() {
    GrammarSpec g = Presets.parse(SMALL);
    DocumentSampler sampler = new PcfgProcess(g).newSampler();
    DocumentLatent latent = new DocumentLatent(g, 1, 0);
    Map<List<Integer>, Double> seqs = classSequences(g);
    Map<String, Double> support = new HashMap<>();
    for (List<Integer> seq : seqs.keySet()) {
      enumerate(g, latent, seqs, seq, new int[seq.size()], 0, support);
    }
    double bruteTotal = support.values().stream().mapToDouble(Double::doubleValue).sum();
    assertEquals(1, bruteTotal, 1e-12, "brute force normalises");

    Map<String, Double> seen = new HashMap<>();
    for (int rep = 0; rep < g.repetitions; rep++) {
      Document d = sampler.sample(1, 0, rep);
      String key = Arrays.toString(Arrays.copyOf(d.tokens(), d.length() - 1));
      Double before = seen.put(key, d.logProb());
      if (before != null) {
        assertEquals(before, d.logProb(), 0, "a sentence has one log-probability, whatever its derivation");
      }
    }
    assertEquals(support.keySet(), seen.keySet(), "every sentence of positive probability was sampled");
    double total = 0;
    for (Map.Entry<String, Double> e : seen.entrySet()) {
      assertEquals(Math.log(support.get(e.getKey())), e.getValue(), 1e-12, e.getKey());
      total += Math.exp(e.getValue());
    }
    assertEquals(1, total, 1e-12);
  }

  private static void enumerate(GrammarSpec g, DocumentLatent l, Map<List<Integer>, Double> seqs, List<Integer> seq,
      int[] tokens, int i, Map<String, Double> out) {
    if (i == seq.size()) {
      out.computeIfAbsent(Arrays.toString(tokens), k -> sentenceProbability(g, l, seqs, tokens, 0, 0));
      return;
    }
    for (int t : g.classes.get(seq.get(i)).members()) {
      tokens[i] = t;
      enumerate(g, l, seqs, seq, tokens, i + 1, out);
    }
  }
}
