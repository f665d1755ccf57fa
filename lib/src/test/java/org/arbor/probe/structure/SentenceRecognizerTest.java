package org.arbor.probe.structure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import org.arbor.config.ConfigNode;
import org.arbor.grammar.GrammarSpec;
import org.junit.jupiter.api.Test;

/** The recognizer on the released sentence rules and on grammars with shared tokens and empty sentences. */
class SentenceRecognizerTest {
  static final String TINY = """
        kind: pcfg
        name: tiny
        lexicon:
          classes:
            S: {ids: [0, 1]}
            V: {ids: [2, 3]}
            O: {ids: [4, 5]}
            C: {ids: [6, 6], distribution: uniform}
          intersection: {size: 1, classes: [S, O]}
        boundaries:
          sentence: "[EOS]"
          paragraph: "[EOP]"
        specials: ["[UNK]", "[PAD]"]
        start: SENTENCE
        rules:
          SENTENCE:
            - {p: 1/2, rhs: [V, S, O]}
            - {p: 1/2, rhs: [S, V, O, CLAUSES]}
          CLAUSES:
            - {p: 1/3, rhs: []}
            - {p: 1/3, rhs: [CLAUSE]}
            - {p: 1/3, rhs: [CLAUSE, CLAUSE]}
          CLAUSE:
            - {p: 1, rhs: [C, S, V, O]}
        hierarchy:
          sections: 1
          paragraphs_per_section: 2
          sentences_per_paragraph: 3
          repetitions: 2
        """;

  static GrammarSpec tiny() {
    return grammar(TINY);
  }

  static GrammarSpec grammar(String yaml) {
    return new GrammarSpec(ConfigNode.parse("tiny.yaml", new StringReader(yaml)));
  }

  static boolean derives(SentenceRecognizer r, int... tokens) {
    return r.derives(tokens, 0, tokens.length);
  }

  @Test
  void releasedSentenceRules() {
    // Ids: S 0-1, V 2-3, O 4-5, C 6, shared S/O 7, [EOS] 8, [EOP] 9.
    SentenceRecognizer r = new SentenceRecognizer(tiny());
    assertTrue(derives(r, 0, 2, 4)); // S V O
    assertTrue(derives(r, 3, 1, 5)); // V S O
    assertTrue(derives(r, 0, 2, 4, 6, 1, 3, 5)); // S V O + clause
    assertTrue(derives(r, 0, 2, 4, 6, 1, 3, 5, 6, 0, 2, 4)); // two clauses
    assertFalse(derives(r, 0, 2, 4, 6, 1, 3, 5, 6, 0, 2, 4, 6, 0, 2, 4)); // three clauses
    assertFalse(derives(r, 0, 2)); // S V
    assertFalse(derives(r)); // SENTENCE derives no empty sentence
    assertFalse(derives(r, 3, 1, 5, 6, 0, 2, 4)); // V S O takes no clause
    assertFalse(derives(r, 0, 2, 4, 8)); // a boundary token is in no class
    assertFalse(derives(r, 2, 0, 4, 4));
  }

  @Test
  void sharedTokensFillAnyOfTheirClasses() {
    SentenceRecognizer r = new SentenceRecognizer(tiny());
    assertTrue(derives(r, 7, 2, 7)); // shared token as S and as O
    assertTrue(derives(r, 2, 7, 7));
    assertFalse(derives(r, 7, 7, 7)); // never a verb
    int[] padded = {9, 9, 0, 2, 4, 8};
    assertTrue(r.derives(padded, 2, 5)); // a sub-range
  }

  @Test
  void emptyAndRecursiveRules() {
    GrammarSpec g = grammar("""
        kind: pcfg
        name: recursive
        lexicon:
          classes:
            A: {ids: [0, 0]}
            B: {ids: [1, 1]}
        boundaries: {sentence: "[EOS]"}
        specials: []
        start: X
        rules:
          X:
            - {p: 0.4, rhs: []}
            - {p: 0.3, rhs: [A, X, B]}
            - {p: 0.3, rhs: [Y]}
          Y:
            - {p: 1, rhs: [X, X, A]}
        hierarchy: {sections: 1, paragraphs_per_section: 1, sentences_per_paragraph: 1, repetitions: 1}
        """);
    SentenceRecognizer r = new SentenceRecognizer(g);
    assertTrue(derives(r)); // X -> empty
    assertTrue(derives(r, 0, 1)); // A X B with X empty
    assertTrue(derives(r, 0, 0, 1, 1));
    assertTrue(derives(r, 0)); // Y -> X X A
    assertTrue(derives(r, 0, 1, 0)); // Y -> (A X B) X A
    assertFalse(derives(r, 1));
    assertFalse(derives(r, 1, 0));
  }
}
