package org.arbor.grammar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.arbor.config.ConfigException;
import org.junit.jupiter.api.Test;

class GrammarSpecTest {
  /** A small valid grammar; tests break one thing at a time. */
  static final String TINY = """
      kind: pcfg
      name: tiny
      lexicon:
        classes:
          S: {ids: [0, 1]}
          V: {ids: [2, 3]}
          O: {ids: [4, 5]}
      boundaries:
        sentence: "[EOS]"
      specials: ["[UNK]", "[PAD]"]
      start: SENTENCE
      rules:
        SENTENCE:
          - {p: 1/2, rhs: [S, V, O]}
          - {p: 1/2, rhs: [V, S, O]}
      hierarchy:
        sections: 1
        paragraphs_per_section: 1
        sentences_per_paragraph: 1
        repetitions: 1
      """;

  private static ConfigException fails(String yaml) {
    return assertThrows(ConfigException.class, () -> Presets.parse(yaml));
  }

  private static String replace(String yaml, String from, String to) {
    assertTrue(yaml.contains(from), "test setup: '" + from + "' not in the grammar");
    return yaml.replace(from, to);
  }

  /** Asserts the message names the file, the key and the problem. */
  private static void assertError(String yaml, String key, String problem) {
    String m = fails(yaml).getMessage();
    assertTrue(m.startsWith("test.yaml: "), "names the file: " + m);
    assertTrue(m.contains("key '" + key + "'"), "names key " + key + ": " + m);
    assertTrue(m.contains(problem), "says '" + problem + "': " + m);
  }

  @Test
  void tinyGrammarIsValid() {
    GrammarSpec g = Presets.parse(TINY);
    assertEquals(3, g.classes.size());
    assertEquals(List.of("SENTENCE"), g.nonterminals);
    assertEquals(3, g.expectedSentenceSlots, 1e-12);
    assertEquals(9, g.vocabulary.size()); // 6 content, [EOS], [UNK], [PAD]
  }

  @Test
  void ukpReleasedPreset() {
    GrammarSpec g = Presets.grammar("ukp-released");
    assertEquals("ukp-released", g.name);
    assertEquals(List.of("S", "V", "O", "C", "EOS"), g.categories);
    int[][] ranges = {{0, 299}, {300, 599}, {600, 899}, {900, 999}};
    for (int c = 0; c < 4; c++) {
      assertArrayEquals(IntStream.rangeClosed(ranges[c][0], ranges[c][1]).toArray(), g.classes.get(c).members());
      assertEquals(c == 3, g.classes.get(c).uniform());
      assertEquals(1.0, g.classes.get(c).zipfExponent());
    }
    assertEquals(1003, g.vocabulary.size());
    assertEquals("t0", g.vocabulary.name(0));
    assertEquals("t999", g.vocabulary.name(999));
    assertEquals(1000, g.vocabulary.id("[EOS]"));
    assertEquals(1001, g.vocabulary.id("[UNK]"));
    assertEquals(1002, g.vocabulary.id("[PAD]"));
    assertEquals(1000, g.boundaryToken(0));
    assertEquals(-1, g.boundaryToken(1));
    assertEquals(-1, g.boundaryToken(2));
    assertEquals(4, g.boundaryCategory(0));
    assertEquals(16, g.sentencesPerDocument());
    assertEquals(10, g.repetitions);
    assertEquals(g.symbol("CLAUSE"), g.clause);
    assertEquals(g.symbol("SENTENCE"), g.start);
    // Mean tokens per sentence 6 with [EOS], so 5 class slots: 3 + 1/2 * (0 + 1 + 2) / 3 * 4.
    assertEquals(5, g.expectedSentenceSlots, 1e-12);
    for (int c = 0; c < 4; c++) {
      assertEquals(c < 3, g.latents.documentRerank()[c]);
      assertFalse(g.latents.sectionRerank()[c]);
      assertFalse(g.latents.paragraphTopic()[c]);
    }
  }

  @Test
  void paperConfigPreset() {
    GrammarSpec g = Presets.grammar("paper-config");
    // 1000 content tokens, then [EOS], [EOP], [EOS_SEC], [UNK], [PAD].
    assertEquals(1005, g.vocabulary.size());
    String[] specials = {"[EOS]", "[EOP]", "[EOS_SEC]", "[UNK]", "[PAD]"};
    for (int i = 0; i < specials.length; i++) {
      assertEquals(1000 + i, g.vocabulary.id(specials[i]), specials[i]);
    }
    assertEquals(List.of("S", "V", "O", "C", "EOS", "EOP", "EOS_SEC"), g.categories);
    int[] shared = IntStream.rangeClosed(930, 999).toArray();
    for (int c = 0; c < 3; c++) {
      int lo = 300 * c;
      int[] expected = IntStream.concat(IntStream.range(lo, lo + 300), IntStream.of(shared)).toArray();
      assertArrayEquals(expected, g.classes.get(c).members(), g.classes.get(c).name());
    }
    assertArrayEquals(IntStream.rangeClosed(900, 929).toArray(), g.classes.get(3).members());
    assertTrue(g.classes.get(3).uniform());
    assertEquals(10, g.sections);
    assertEquals(20, g.paragraphsPerSection);
    assertEquals(2, g.sentencesPerParagraph);
    assertEquals(400, g.sentencesPerDocument());
    assertEquals(10, g.repetitions);
    GrammarSpec.Latents l = g.latents;
    assertArrayEquals(new boolean[] {true, true, true, false}, l.documentRerank());
    assertArrayEquals(new boolean[] {true, true, true, false}, l.sectionRerank());
    assertArrayEquals(new boolean[] {true, false, true, false}, l.paragraphTopic());
    assertEquals(0.1, l.sectionFraction());
    assertEquals(5, l.topicSize());
    assertEquals(0.25, l.topicWeight());
  }

  @Test
  void unknownKeysAtSeveralDepths() {
    assertError(TINY + "extra: 1\n", "extra", "unknown key");
    assertError(replace(TINY, "S: {ids: [0, 1]}", "S: {ids: [0, 1], idz: [0, 1]}"), "lexicon.classes.S.idz", "unknown key");
    assertError(replace(TINY, "lexicon:\n", "lexicon:\n  sizee: 6\n"), "lexicon.sizee", "unknown key");
    assertError(replace(TINY, "{p: 1/2, rhs: [V, S, O]}", "{p: 1/2, rhs: [V, S, O], q: 1}"), "rules.SENTENCE[1].q", "unknown key");
    assertError(replace(TINY, "repetitions: 1", "repetitions: 1\n  documents: 2"), "hierarchy.documents", "unknown key");
    assertError(replace(TINY, "sentence: \"[EOS]\"", "sentence: \"[EOS]\"\n  paragrph: \"[EOP]\""), "boundaries.paragrph", "unknown key");
    assertError(TINY + "latents:\n  document:\n    rerank: [S]\n    shuffle: true\n", "latents.document.shuffle", "unknown key");
    assertError(TINY + "latents:\n  word: {rerank: [S]}\n", "latents.word", "unknown key");
    assertError(replace(TINY, "lexicon:\n", "lexicon:\n  intersection: {size: 1, classes: [S, V], extra: 0}\n"),
        "lexicon.intersection.extra", "unknown key");
  }

  @Test
  void probabilitiesMustSumToOne() {
    assertError(replace(TINY, "{p: 1/2, rhs: [V, S, O]}", "{p: 0.4, rhs: [V, S, O]}"), "rules.SENTENCE", "sum to 0.9");
    assertError(replace(TINY, "{p: 1/2, rhs: [V, S, O]}", "{p: 1.5, rhs: [V, S, O]}"), "rules.SENTENCE[1].p", "must lie in [0, 1]");
    assertError(replace(TINY, "{p: 1/2, rhs: [V, S, O]}", "{p: -1/2, rhs: [V, S, O]}"), "rules.SENTENCE[1].p", "must lie in [0, 1]");
  }

  @Test
  void overlappingIdRanges() {
    assertError(replace(TINY, "V: {ids: [2, 3]}", "V: {ids: [1, 3]}"), "lexicon.classes.V", "overlaps class S at id 1");
    assertError(replace(TINY, "O: {ids: [4, 5]}", "O: {ids: [0, 0]}"), "lexicon.classes.O", "overlaps class S at id 0");
  }

  @Test
  void idsMustBeOrderedWholeNumbers() {
    assertError(replace(TINY, "V: {ids: [2, 3]}", "V: {ids: [3, 2]}"), "lexicon.classes.V.ids", "0 <= first <= last");
    assertError(replace(TINY, "V: {ids: [2, 3]}", "V: {ids: [-1, 3]}"), "lexicon.classes.V.ids", "0 <= first <= last");
    assertError(replace(TINY, "V: {ids: [2, 3]}", "V: {ids: [2, 3.5]}"), "lexicon.classes.V.ids", "whole number");
    assertError(replace(TINY, "V: {ids: [2, 3]}", "V: {ids: [2]}"), "lexicon.classes.V.ids", "expected [first, last]");
  }

  @Test
  void negativeCounts() {
    assertError(replace(TINY, "sections: 1", "sections: -2"), "hierarchy.sections", "must not be negative, got -2");
    assertError(replace(TINY, "sections: 1", "sections: 0"), "hierarchy.sections", "must be at least 1");
    assertError(replace(TINY, "S: {ids: [0, 1]}", "S: {size: -3}"), "lexicon.classes.S.size", "must not be negative, got -3");
    assertError(replace(TINY, "repetitions: 1", "repetitions: -1"), "hierarchy.repetitions", "must not be negative");
  }

  @Test
  void undefinedSymbolInARule() {
    assertError(replace(TINY, "rhs: [V, S, O]", "rhs: [V, S, Q]"), "rules.SENTENCE[1].rhs", "undefined symbol 'Q'");
    assertError(replace(TINY, "start: SENTENCE", "start: TOP"), "start", "'TOP' is not a nonterminal");
    assertError(replace(TINY, "start: SENTENCE", "start: S"), "start", "'S' is not a nonterminal");
    assertError(replace(TINY, "rules:\n", "rules:\n  S:\n    - {p: 1, rhs: [V]}\n"), "rules.S", "is a lexical class");
  }

  @Test
  void unreachableNonterminal() {
    assertError(replace(TINY, "hierarchy:", "  X:\n    - {p: 1, rhs: [S]}\nhierarchy:"), "rules.X", "unreachable from start symbol SENTENCE");
  }

  @Test
  void infiniteExpectedLength() {
    String rules = """
        rules:
          SENTENCE:
            - {p: 1/2, rhs: [S, V, O]}
            - {p: 1/2, rhs: [V, S, O]}
        """;
    // A -> A A | S: expected slots x = 2 p x + (1 - p), infinite for p >= 1/2.
    String supercritical = replace(TINY, rules, "rules:\n  A:\n    - {p: 0.6, rhs: [A, A]}\n    - {p: 0.4, rhs: [S]}\n")
        .replace("start: SENTENCE", "start: A");
    assertError(supercritical, "rules", "expected sentence length is infinite");
    assertError(supercritical.replace("0.6", "0.5").replace("0.4", "0.5"), "rules", "expected sentence length is infinite");
    // The critical case of the classic binary branching process: A -> A A | empty with p = 1/2
    // terminates with probability 1 but has infinite mean size.
    String critical = replace(TINY, rules,
        "rules:\n  SENTENCE:\n    - {p: 1, rhs: [S, A]}\n  A:\n    - {p: 1/2, rhs: [A, A]}\n    - {p: 1/2, rhs: []}\n");
    assertError(critical, "rules", "expected sentence length is infinite");
    // Critical even though the ten probabilities 0.1 add up to 0.9999999999999999 in floating point.
    String rounded = replace(TINY, rules,
        "rules:\n  SENTENCE:\n    - {p: 0.1, rhs: [SENTENCE, SENTENCE, SENTENCE, SENTENCE, SENTENCE, SENTENCE, SENTENCE, SENTENCE, SENTENCE, SENTENCE]}\n    - {p: 0.9, rhs: [S]}\n");
    assertError(rounded, "rules", "expected sentence length is infinite");
    // Subcritical: p = 0.4 gives x = 0.6 / 0.2 = 3.
    GrammarSpec ok = Presets.parse(supercritical.replace("0.6", "0.4x").replace("0.4, rhs: [S]", "0.6, rhs: [S]").replace("0.4x", "0.4"));
    assertEquals(3, ok.expectedSentenceSlots, 1e-12);
  }

  @Test
  void missingRequiredKeys() {
    assertError(replace(TINY, "  sentences_per_paragraph: 1\n", ""), "hierarchy.sentences_per_paragraph", "missing (required)");
    assertError(replace(TINY, "start: SENTENCE\n", ""), "start", "missing (required)");
    assertError(replace(TINY, "kind: pcfg\n", ""), "kind", "missing (required)");
    assertError(replace(TINY, "{p: 1/2, rhs: [V, S, O]}", "{rhs: [V, S, O]}"), "rules.SENTENCE[1].p", "missing (required)");
    assertError(replace(TINY, "{p: 1/2, rhs: [V, S, O]}", "{p: 1/2}"), "rules.SENTENCE[1].rhs", "missing (required)");
    assertError(TINY + "latents:\n  section: {rerank: [S]}\n", "latents.section.fraction", "missing (required)");
    assertError(replace(TINY, "specials: [\"[UNK]\", \"[PAD]\"]\n", ""), "specials", "missing (required)");
    // Sentences must be observable for ln P(tokens | latents) to be a product over sentences.
    assertError(replace(TINY, "boundaries:\n  sentence: \"[EOS]\"\n", ""), "boundaries.sentence", "missing (required)");
    assertError(replace(TINY, "  sentence: \"[EOS]\"\n", "  paragraph: \"[EOP]\"\n"), "boundaries.sentence", "missing (required)");
  }

  /** A lexicon given by shares of a size. */
  private static final String SHARES = replace(TINY, """
        classes:
          S: {ids: [0, 1]}
          V: {ids: [2, 3]}
          O: {ids: [4, 5]}
      """, """
        size: 100
        classes:
          S: {share: 0.3}
          V: {share: 0.3}
          O: {share: 0.3}
        intersection: {share: 0.1, classes: [S, O]}
      """);

  @Test
  void sharesAndIntersection() {
    GrammarSpec g = Presets.parse(SHARES);
    assertEquals(100, g.vocabulary.size() - 3);
    int[] shared = IntStream.range(90, 100).toArray();
    assertArrayEquals(IntStream.concat(IntStream.range(0, 30), IntStream.of(shared)).toArray(), g.classes.get(0).members());
    assertArrayEquals(IntStream.range(30, 60).toArray(), g.classes.get(1).members());
    assertArrayEquals(IntStream.concat(IntStream.range(60, 90), IntStream.of(shared)).toArray(), g.classes.get(2).members());
  }

  @Test
  void shareMustBeAWholeNumberOfTokens() {
    assertError(SHARES.replace("S: {share: 0.3}", "S: {share: 0.333}"), "lexicon.classes.S.share", "is not a whole number (33.3");
    assertError(SHARES.replace("{share: 0.1, classes", "{share: 0.105, classes"), "lexicon.intersection.share", "is not a whole number");
    assertError(SHARES.replace("S: {share: 0.3}", "S: {share: 1.3}"), "lexicon.classes.S.share", "must lie in [0, 1]");
    assertError(SHARES.replace("S: {share: 0.3}", "S: {share: 0.2}"), "lexicon.size", "cover 90 ids, but size is 100");
    assertError(SHARES.replace("  size: 100\n", ""), "lexicon.classes.S.share", "a share needs lexicon.size");
    assertError(SHARES.replace("S: {share: 0.3}", "S: {share: 0.3, size: 30}"), "lexicon.classes.S", "give exactly one of");
  }

  @Test
  void intersectionNeedsExactlyOneOfSizeAndShare() {
    assertError(SHARES.replace("{share: 0.1, classes", "{share: 0.1, size: 10, classes"), "lexicon.intersection", "exactly one of");
    assertError(SHARES.replace("{share: 0.1, classes", "{classes"), "lexicon.intersection", "exactly one of");
    GrammarSpec g = Presets.parse(SHARES.replace("{share: 0.1, classes", "{size: 10, classes"));
    assertEquals(40, g.classes.get(0).size());
  }

  @Test
  void hierarchyIndicesMustFitTheDocumentsShortArrays() {
    assertEquals(32767, Presets.parse(replace(TINY, "sections: 1", "sections: 32767")).sections);
    assertError(replace(TINY, "sections: 1", "sections: 32768"), "hierarchy.sections", "at most 32767");
    assertError(replace(TINY, "paragraphs_per_section: 1", "paragraphs_per_section: 40000"),
        "hierarchy.paragraphs_per_section", "at most 32767");
    assertError(replace(TINY, "sentences_per_paragraph: 1", "sentences_per_paragraph: 100000"),
        "hierarchy.sentences_per_paragraph", "at most 32767");
  }

  @Test
  void intersectionNeedsKnownClasses() {
    assertError(SHARES.replace("classes: [S, O]}", "classes: [S, X]}"), "lexicon.intersection.classes", "unknown lexical class 'X'");
    assertError(SHARES.replace("classes: [S, O]}", "classes: [S]}"), "lexicon.intersection.classes", "at least two classes");
  }

  @Test
  void latentsAreChecked() {
    String topic = SHARES + "latents:\n  paragraph: {topic: [S], size: 5, weight: 0.25}\n";
    GrammarSpec g = Presets.parse(topic);
    assertEquals(5, g.latents.topicSize());
    assertError(topic.replace("size: 5", "size: 41"), "latents.paragraph.size", "exceeds class S (40 tokens)");
    assertError(topic.replace("weight: 0.25", "weight: 1"), "latents.paragraph.weight", "must lie in (0, 1)");
    assertError(topic.replace("topic: [S]", "topic: [X]"), "latents.paragraph.topic", "unknown lexical class 'X'");
    String section = SHARES + "latents:\n  section: {rerank: [S, O], fraction: 0.1}\n";
    assertEquals(0.1, Presets.parse(section).latents.sectionFraction());
    assertError(section.replace("fraction: 0.1", "fraction: 0"), "latents.section.fraction", "must lie in (0, 1]");
    // 0.01 of 40 tokens rounds to no position at all: the re-ranking would do nothing.
    assertError(section.replace("fraction: 0.1", "fraction: 0.01"), "latents.section.fraction", "fewer than 2");
    String uniform = replace(TINY, "O: {ids: [4, 5]}", "O: {ids: [4, 5], distribution: uniform}")
        + "latents:\n  document: {rerank: [O]}\n";
    assertError(uniform, "latents", "class O is uniform");
    assertError(replace(TINY, "O: {ids: [4, 5]}", "O: {ids: [4, 5], distribution: zipfian}"),
        "lexicon.classes.O.distribution", "expected zipf or uniform");
    assertError(replace(TINY, "O: {ids: [4, 5]}", "O: {ids: [4, 5], zipf: -1}"), "lexicon.classes.O.zipf", "exponent must be finite");
  }

  @Test
  void boundariesAndSpecials() {
    assertError(replace(TINY, "sentence: \"[EOS]\"", "sentence: \"[EOS]\"\n  paragraph: \"[EOS]\""),
        "boundaries.paragraph", "already the boundary of another level");
    assertError(replace(TINY, "[\"[UNK]\", \"[PAD]\"]", "[\"[UNK]\", \"[EOS]\"]"), "specials", "listed twice");
    assertError(replace(TINY, "[\"[UNK]\", \"[PAD]\"]", "[\"[UNK]\", \"t7\"]"), "specials", "collides with content token names");
    assertError(replace(TINY, "kind: pcfg", "kind: ngram"), "kind", "expected 'pcfg'");
    GrammarSpec g = Presets.parse(replace(TINY, "sentence: \"[EOS]\"", "sentence: \"[EOS]\"\n  section: \"[SEC]\""));
    assertEquals(List.of("S", "V", "O", "EOS", "SEC"), g.categories);
    assertEquals(4, g.boundaryCategory(2));
    assertEquals(7, g.boundaryToken(2));
    assertEquals(-1, g.boundaryCategory(1));
    assertNull(g.boundaries[1]);
  }

  @Test
  void clauseMustBeANonterminal() {
    assertError(replace(TINY, "repetitions: 1", "repetitions: 1\n  clause: S"), "hierarchy.clause", "'S' is not a nonterminal");
  }
}
