package org.arbor.grammar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentSampler;
import org.junit.jupiter.api.Test;

/** Clause indices of nested clauses: numbered in order of opening, restored when a clause closes. */
class ClauseAnnotationTest {
  static final String NESTED = """
      kind: pcfg
      name: nested
      lexicon:
        classes:
          S: {ids: [0, 0]}
          V: {ids: [1, 1]}
          O: {ids: [2, 2]}
          C: {ids: [3, 3]}
      boundaries:
        sentence: "[EOS]"
      specials: []
      start: SENTENCE
      rules:
        SENTENCE:
          - {p: 1, rhs: [S, CL, V]}
        CL:
          - {p: 1/2, rhs: [C, O]}
          - {p: 1/2, rhs: [C, CL, O]}
      hierarchy:
        sections: 1
        paragraphs_per_section: 2
        sentences_per_paragraph: 50
        repetitions: 1
        clause: CL
      """;

  @Test
  void nestedClausesAreRestored() {
    // A sentence is S C^m O^m V [EOS]: clause indices 0, 1..m, m..1, 0, -1.
    GrammarSpec g = Presets.parse(NESTED);
    Document d = new PcfgProcess(g).newSampler().sample(1, 0, 0);
    int start = 0;
    int deepest = 0;
    int sentences = 0;
    for (int i = 0; i < d.length(); i++) {
      if (d.tokens()[i] != 4) {
        continue;
      }
      int m = (i - start - 2) / 2;
      int[] tokens = new int[i - start + 1];
      int[] clause = new int[tokens.length];
      tokens[0] = 0;
      for (int j = 1; j <= m; j++) {
        tokens[j] = 3;
        clause[j] = j;
        tokens[m + j] = 2;
        clause[m + j] = m + 1 - j;
      }
      tokens[2 * m + 1] = 1;
      tokens[2 * m + 2] = 4;
      clause[2 * m + 2] = -1;
      int[] actual = new int[tokens.length];
      for (int j = 0; j < tokens.length; j++) {
        actual[j] = d.clause()[start + j];
      }
      assertArrayEquals(tokens, java.util.Arrays.copyOfRange(d.tokens(), start, i + 1));
      assertArrayEquals(clause, actual);
      assertEquals(sentences % 50, d.sentence()[i]);
      assertEquals(sentences / 50, d.paragraph()[i]);
      deepest = Math.max(deepest, m);
      sentences++;
      start = i + 1;
    }
    assertEquals(100, sentences);
    assertTrue(deepest >= 4, "deep nesting was sampled: " + deepest);
    // m ~ Geometric(1/2) on 1, 2, ...: each sentence has probability 2^-m, and the grammar is unambiguous.
    double expected = 0;
    start = 0;
    for (int i = 0; i < d.length(); i++) {
      if (d.tokens()[i] == 4) {
        expected += -((i - start - 2) / 2) * Math.log(2);
        start = i + 1;
      }
    }
    assertEquals(expected, d.logProb(), 1e-12 * Math.abs(expected));
  }
}
