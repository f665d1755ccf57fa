package org.arbor.probe.fv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.arbor.grammar.GrammarSpec;
import org.junit.jupiter.api.Test;

/** The tasks' prompts against their definitions, on the repository's grammars. */
class TasksTest {
  static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("conf").resolve("grammars"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root (conf/grammars)");
  }

  static TaskVocabulary ukp() {
    return TaskVocabulary.of(GrammarSpec.load(root().resolve("conf/grammars/ukp-released.yaml")));
  }

  @Test
  void grammarRolesComeFromTheClauseRule() {
    TaskVocabulary v = ukp();
    assertEquals(950, v.connector(), "the paper's connector");
    assertEquals(1000, v.separator(), "[EOS]");
    assertEquals(900, v.members(TaskVocabulary.CONNECTOR)[0]);
    assertEquals(100, v.members(TaskVocabulary.CONNECTOR).length);
    assertEquals(0, v.members(TaskVocabulary.SUBJECT)[0]);
    assertEquals(299, v.members(TaskVocabulary.SUBJECT)[299]);
    assertEquals(300, v.members(TaskVocabulary.VERB)[0]);
    assertEquals(600, v.members(TaskVocabulary.OBJECT)[0]);
    // paper-config: S, V, O share ids 930-999; they are left out so a token's role is unambiguous.
    TaskVocabulary p = TaskVocabulary.of(GrammarSpec.load(root().resolve("conf/grammars/paper-config.yaml")));
    assertEquals(300, p.members(TaskVocabulary.OBJECT).length);
    assertEquals(899, p.members(TaskVocabulary.OBJECT)[299]);
    assertEquals(915, p.connector());
  }

  @Test
  void paperPromptsAreTheClauseRepeat() {
    TaskVocabulary v = ukp();
    Prompts prompts = new Prompts(new PaperTask(), v, 7, 3);
    for (Prompt z : prompts.zeroShot(1, 20)) {
      int[] t = z.tokens();
      assertEquals(7, t.length);
      assertEquals(1000, t[0]);
      assertEquals(t[1], t[5]);
      assertEquals(t[2], t[6]);
      assertEquals(950, t[4]);
      assertArrayEquals(new int[] {t[3]}, z.answer());
      assertTrue(t[3] >= 600 && t[3] < 900);
    }
    for (Prompt p : prompts.inContext(1, 20)) {
      int[] t = p.tokens();
      assertEquals(1 + 3 * 8 + 6, t.length);
      for (int d = 0; d < 3; d++) {
        int o = 1 + 8 * d;
        // [s v o C s v o EOS]: a demonstration's label is the object of its first clause.
        assertEquals(t[o + 2], t[o + 6]);
        assertEquals(1000, t[o + 7]);
      }
    }
  }

  @Test
  void recallAnswerIsTheObjectOfAnEarlierSubjectAndOccursOnce() {
    TaskVocabulary v = ukp();
    RecallTask task = new RecallTask(3);
    int[] seenClause = new int[3];
    for (Prompt z : new Prompts(task, v, 11, 0).zeroShot(5, 300)) {
      int[] t = Arrays.copyOfRange(z.tokens(), 1, z.length()); // drop the opening [EOS]
      assertEquals(14, t.length);
      int s = t[12];
      int j = -1;
      for (int i = 0; i < 3; i++) {
        if (t[4 * i] == s) {
          assertEquals(-1, j, "subjects are distinct");
          j = i;
        }
      }
      assertTrue(j >= 0 && j < 2, "the query repeats a clause that is not the last: " + j);
      seenClause[j]++;
      assertArrayEquals(new int[] {t[4 * j + 2]}, z.answer());
      assertNotEquals(t[4 * j + 1], t[13], "the query's verb differs, so [s v] is no repeated bigram");
      int answer = z.answer()[0];
      assertEquals(1, Arrays.stream(t).filter(x -> x == answer).count(), "the answer occurs once");
      for (int i = 0; i < 3; i++) {
        assertTrue(t[4 * i + 3] >= 900 && t[4 * i + 3] < 1000);
      }
    }
    assertTrue(seenClause[0] > 100 && seenClause[1] > 100, Arrays.toString(seenClause));
  }

  @Test
  void successorAnswersTheNextRoleOfTheClauseCycle() {
    TaskVocabulary v = ukp();
    for (Prompt z : new Prompts(new SuccessorTask(), v, 3, 0).zeroShot(2, 100)) {
      int x = z.tokens()[1];
      int role = x < 300 ? TaskVocabulary.SUBJECT : x < 600 ? TaskVocabulary.VERB : x < 900 ? TaskVocabulary.OBJECT
          : TaskVocabulary.CONNECTOR;
      assertArrayEquals(v.members(TaskVocabulary.successor(role)), z.answer());
    }
  }

  @Test
  void shuffledPromptsPermuteOnlyTheLabels() {
    TaskVocabulary v = ukp();
    Prompts prompts = new Prompts(new RecallTask(2), v, 5, 6);
    List<Prompt> clean = prompts.inContext(9, 30);
    List<Prompt> shuffled = prompts.shuffled(9, 30);
    int moved = 0;
    int demo = 4 * 2 + 2 + 2; // input, label, [EOS]
    for (int p = 0; p < 30; p++) {
      int[] a = clean.get(p).tokens();
      int[] b = shuffled.get(p).tokens();
      assertArrayEquals(clean.get(p).answer(), shuffled.get(p).answer());
      int[] la = new int[6];
      int[] lb = new int[6];
      for (int i = 0; i < a.length; i++) {
        int k = i - 1;
        boolean label = k >= 0 && k < 6 * demo && k % demo == demo - 2;
        if (label) {
          la[k / demo] = a[i];
          lb[k / demo] = b[i];
          moved += a[i] != b[i] ? 1 : 0;
        } else {
          assertEquals(a[i], b[i], "prompt " + p + " position " + i);
        }
      }
      Arrays.sort(la);
      Arrays.sort(lb);
      assertArrayEquals(la, lb);
    }
    assertTrue(moved > 100, "labels actually move: " + moved);
  }

  @Test
  void promptsAreAFunctionOfSeedPurposeAndIndex() {
    TaskVocabulary v = ukp();
    List<Prompt> a = new Prompts(new RecallTask(2), v, 5, 4).inContext(1, 8);
    List<Prompt> b = new Prompts(new RecallTask(2), v, 5, 4).inContext(1, 3);
    List<Prompt> c = new Prompts(new RecallTask(2), v, 6, 4).inContext(1, 3);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(a.get(i).tokens(), b.get(i).tokens());
    }
    assertFalse(Arrays.equals(a.get(0).tokens(), c.get(0).tokens()));
  }

  @Test
  void rangeVocabularySplitsIntoFourBlocks() {
    TaskVocabulary v = TaskVocabulary.ofRange(100, 141, -1);
    assertEquals(10, v.members(TaskVocabulary.SUBJECT).length);
    assertEquals(110, v.members(TaskVocabulary.SUBJECT)[0]);
    assertEquals(139, v.maxId());
    Prompt z = new Prompts(new RecallTask(2), v, 1, 0).zeroShot(1, 1).get(0);
    assertEquals(10, z.length(), "no separator");
    assertThrows(IllegalArgumentException.class, () -> TaskVocabulary.ofRange(0, 6, -1));
    assertThrows(IllegalArgumentException.class, () -> TaskVocabulary.ofRange(0, 20, 5));
  }
}
