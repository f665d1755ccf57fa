package org.arbor.olmo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.arbor.config.ConfigException;
import org.arbor.config.ConfigNode;
import org.arbor.olmo.OlmoRevisions.Revision;
import org.arbor.olmo.OlmoRevisions.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revision names, listing through Hadoop's file system, and selections on irregular series. */
class OlmoRevisionsTest {
  @Test
  void branchNamesGiveStepAndTokensSeen() {
    Revision r = OlmoRevisions.parse("step20000-tokens84B", "x");
    assertEquals(20000, r.step());
    assertEquals(84_000_000_000L, r.tokensSeen());
    assertEquals(3_095_000_000_000L, OlmoRevisions.parse("step738020-tokens3095B", "x").tokensSeen());
    assertEquals(4_200_000_000L, OlmoRevisions.parse("step1000-tokens4.2B", "x").tokensSeen());
    assertNull(OlmoRevisions.parse("main", "x"));
    assertNull(OlmoRevisions.parse("step1000-tokens4b", "x"));
    assertNull(OlmoRevisions.parse("step1000-tokens4B.partial", "x"));
  }

  private static List<Revision> series(long... steps) {
    List<Revision> out = new ArrayList<>();
    for (long s : steps) {
      out.add(new Revision("step" + s + "-tokens" + s / 1000 + "B", s, s * 1_000_000, "x"));
    }
    return out;
  }

  private static List<Long> steps(List<Revision> rs) {
    return rs.stream().map(Revision::step).toList();
  }

  @Test
  void evenSelectionShiftsNeighboursAcrossGapsInsteadOfRepeating() {
    List<Revision> rs = series(1000, 2000, 3000, 4000, 5000, 10000, 50000, 100000);
    // Targets 1000, 34000, 67000, 100000: the nearest step to both middle targets is 50000; the
    // cheapest distinct choice is 10000 and 50000 (24000 + 17000 off).
    assertEquals(List.of(1000L, 10000L, 50000L, 100000L), steps(OlmoRevisions.select(rs, new Selection("even", 4))));
    assertEquals(List.of(100000L), steps(OlmoRevisions.select(rs, new Selection("even", 1))));
    assertEquals(rs, OlmoRevisions.select(rs, new Selection("even", 8)));
    assertEquals(rs, OlmoRevisions.select(rs, new Selection("log", 20)));
  }

  @Test
  void logSelectionIsEvenInLogOnePlusStep() {
    List<Revision> rs = series(0, 1, 9, 99, 999, 9999);
    // ln(1 + step) = 0, 0.69, 2.30, 4.61, 6.91, 9.21
    assertEquals(List.of(0L, 99L, 9999L), steps(OlmoRevisions.select(rs, new Selection("log", 3))));
    assertEquals(List.of(0L, 9L, 999L, 9999L), steps(OlmoRevisions.select(rs, new Selection("log", 4))));
  }

  @Test
  void everyKthStartsAtTheFirst() {
    List<Revision> rs = series(10, 20, 30, 40, 50, 60, 70);
    assertEquals(List.of(10L, 40L, 70L), steps(OlmoRevisions.select(rs, new Selection("every", 3))));
    assertEquals(List.of(10L, 50L), steps(OlmoRevisions.select(rs, new Selection("every", 4))));
  }

  @Test
  void selectionsOnAnIrregularSeriesAreDistinctOrderedAndStable() {
    // A series like OLMo-1B's: every 1000 steps with stretches missing.
    List<Long> s = new ArrayList<>();
    for (long step = 1000; step <= 738_000; step += 1000) {
      if ((step / 1000) % 7 != 3 && !(step > 300_000 && step < 420_000)) {
        s.add(step);
      }
    }
    List<Revision> rs = series(s.stream().mapToLong(Long::longValue).toArray());
    for (String mode : new String[] {"even", "log"}) {
      List<Revision> picked = OlmoRevisions.select(rs, new Selection(mode, 60));
      assertEquals(60, picked.size());
      for (int i = 1; i < picked.size(); i++) {
        assertTrue(picked.get(i).step() > picked.get(i - 1).step(), mode + " strictly increasing");
      }
      assertEquals(1000, picked.get(0).step());
      assertEquals(s.get(s.size() - 1), picked.get(59).step());
      assertEquals(picked, OlmoRevisions.select(rs, new Selection(mode, 60)));
    }
  }

  @Test
  void listsARootThroughHadoopAndCopiesARevision(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("olmo");
    for (String name : new String[] {"step20000-tokens84B", "step1000-tokens4B", "step330000-tokens1384B", "main", ".cache"}) {
      Files.createDirectories(root.resolve(name));
    }
    Files.writeString(root.resolve("step5-tokens1B"), "a file, not a revision");
    Files.writeString(root.resolve("step20000-tokens84B/config.json"), "{\"model_type\": \"olmo\"}");
    OlmoRevisions revs = OlmoRevisions.open("file://" + root);
    assertEquals(List.of(1000L, 20000L, 330000L), steps(revs.all()));
    Revision r = revs.all().get(1);
    assertEquals(root.resolve("step20000-tokens84B"), revs.localDirectory(r, dir.resolve("cache")), "local: no copy");
    assertEquals(revs.all(), OlmoRevisions.open(root.toString()).all(), "a plain local path lists the same");
    Path copy = revs.copyToLocal(r, dir.resolve("cache/step20000-tokens84B"));
    assertEquals("{\"model_type\": \"olmo\"}", Files.readString(copy.resolve("config.json")));
    assertEquals(List.of("config.json"), Files.list(copy).map(p -> p.getFileName().toString()).toList());
  }

  @Test
  void badRootsAndDuplicateStepsAreRefused(@TempDir Path dir) throws Exception {
    var none = assertThrows(IllegalArgumentException.class, () -> OlmoRevisions.open(dir.resolve("nothing").toString()));
    assertTrue(none.getMessage().endsWith("nothing: not a directory (the root holding step{N}-tokens{M}B revisions)"));
    Files.createDirectories(dir.resolve("step10-tokens1B"));
    Files.createDirectories(dir.resolve("step10-tokens2B"));
    var dup = assertThrows(IllegalArgumentException.class, () -> OlmoRevisions.open(dir.toString()));
    assertEquals(dir + ": two revisions of step 10: step10-tokens1B and step10-tokens2B", dup.getMessage());
  }

  @Test
  void selectionSettings() {
    ConfigNode n = ConfigNode.parse("s.yaml", new StringReader("select: log\ncount: 40\n"));
    assertEquals(new Selection("log", 40), Selection.fromConfig(n));
    ConfigNode bad = ConfigNode.parse("s.yaml", new StringReader("select: every\ncount: 4\n"));
    var e = assertThrows(ConfigException.class, () -> Selection.fromConfig(bad));
    assertTrue(e.getMessage().contains("s.yaml") && e.getMessage().contains("'k'"), e.getMessage());
    ConfigNode typo = ConfigNode.parse("s.yaml", new StringReader("select: even\ncount: 4\nk: 2\n"));
    assertThrows(ConfigException.class, () -> Selection.fromConfig(typo));
  }
}
