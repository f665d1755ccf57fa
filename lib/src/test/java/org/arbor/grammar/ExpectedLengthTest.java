package org.arbor.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.arbor.config.ConfigException;
import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentSampler;
import org.arbor.random.StatAssert;
import org.junit.jupiter.api.Test;

class ExpectedLengthTest {
  /** A grammar over classes S, V, O with the given rules and start symbol A. */
  static String grammar(String rules, int sentences) {
    return """
        kind: pcfg
        name: recursive
        lexicon:
          classes:
            S: {ids: [0, 2]}
            V: {ids: [3, 5]}
            O: {ids: [6, 8]}
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
          repetitions: 1
        """.formatted(rules.strip().indent(2).stripTrailing(), sentences);
  }

  @Test
  void ukpReleasedHasFiveSlots() {
    // Mean tokens 2/3 * 4 + 1/6 * 8 + 1/6 * 12 = 6 with [EOS], so 5 slots.
    assertEquals(5, Presets.grammar("ukp-released").expectedSentenceSlots, 1e-12);
    assertEquals(5, Presets.grammar("paper-config").expectedSentenceSlots, 1e-12);
  }

  @Test
  void geometricRecursion() {
    // A -> S A (2/3) | O (1/3): x = 2/3 (1 + x) + 1/3, so x = 3.
    GrammarSpec g = Presets.parse(grammar("A:\n  - {p: 2/3, rhs: [S, A]}\n  - {p: 1/3, rhs: [O]}", 1));
    assertEquals(3, g.expectedSentenceSlots, 1e-12);
  }

  @Test
  void nearCriticalBranching() {
    // A -> A A (p) | S (1 - p): x = (1 - p) / (1 - 2p) = 2500.5 for p = 0.4999.
    GrammarSpec g = Presets.parse(grammar("A:\n  - {p: 0.4999, rhs: [A, A]}\n  - {p: 0.5001, rhs: [S]}", 1));
    assertEquals(2500.5, g.expectedSentenceSlots, 1e-7);
  }

  static final String MUTUAL = """
      A:
        - {p: 1/2, rhs: [S, B]}
        - {p: 1/2, rhs: [V]}
      B:
        - {p: 0.3, rhs: [A, A]}
        - {p: 0.7, rhs: []}
      """;

  @Test
  void mutualRecursionMatchesTheSampler() {
    // x_A = 1/2 (1 + x_B) + 1/2 and x_B = 0.3 * 2 x_A, so x_A = 1 / 0.7 = 10/7.
    GrammarSpec g = Presets.parse(grammar(MUTUAL, 2000));
    assertEquals(10 / 7.0, g.expectedSentenceSlots, 1e-12);
    DocumentSampler sampler = new PcfgProcess(g).newSampler();
    List<Double> slots = new ArrayList<>();
    for (int d = 0; d < 10; d++) {
      Document doc = sampler.sample(5, d, 0);
      int n = 0;
      for (int i = 0; i < doc.length(); i++) {
        if (doc.category()[i] < 3) {
          n++;
        } else {
          slots.add((double) n);
          n = 0;
        }
      }
    }
    assertEquals(20_000, slots.size());
    StatAssert.mean("class slots per sentence", slots.stream().mapToDouble(Double::doubleValue).toArray(), 10 / 7.0);
  }

  @Test
  void nonterminalsThatOnlyDeriveEmpty() {
    GrammarSpec g = Presets.parse(grammar("A:\n  - {p: 1, rhs: [E, S, E]}\nE:\n  - {p: 1, rhs: []}", 1));
    assertEquals(1, g.expectedSentenceSlots, 1e-12);
  }

  @Test
  void unitCycleWithExitIsFinite() {
    // A -> B (0.9) | S (0.1); B -> A: x = 0.9 x + 0.1, so x = 1.
    GrammarSpec g = Presets.parse(grammar("A:\n  - {p: 0.9, rhs: [B]}\n  - {p: 0.1, rhs: [S]}\nB:\n  - {p: 1, rhs: [A]}", 1));
    assertEquals(1, g.expectedSentenceSlots, 1e-9);
  }

  @Test
  void unitCycleWithoutExitIsRejected() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> Presets.parse(grammar("A:\n  - {p: 1, rhs: [B]}\nB:\n  - {p: 1, rhs: [A]}", 1)));
    assertTrue(e.getMessage().contains("key 'rules'") && e.getMessage().contains("infinite"), e.getMessage());
  }
}
