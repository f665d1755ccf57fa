package org.arbor.olmo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.arbor.config.ConfigException;
import org.arbor.config.ConfigNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paloma's layout is read in a fixed order, and windows are exact slices drawn from the seed. */
class PalomaWindowsTest {
  static final Path SAMPLE = Path.of("src/test/resources/paloma-sample");
  static final Path BYTES = Path.of("src/test/resources/olmo/byte-tokenizer.json");
  /** A tokenizer with a known answer: one token per character, its code point. */
  static final Function<String, int[]> CHARS = s -> s.codePoints().toArray();

  private static List<String> texts(String subset, String split) throws Exception {
    List<String> out = new ArrayList<>();
    new Paloma(SAMPLE).forEachText(subset, split, 0, out::add);
    return out;
  }

  private static PalomaWindows.Settings settings(List<String> subsets, int length, int count, long seed, String packing, int sep) {
    return new PalomaWindows.Settings(SAMPLE, subsets, "val", length, count, seed, packing, sep, 0);
  }

  @Test
  void readsThePublishedLayoutInNameOrder() throws Exception {
    Paloma p = new Paloma(SAMPLE);
    assertEquals(List.of("c4_en", "wikitext_103"), p.subsets());
    assertEquals(List.of("val_c4_en.jsonl.gz"), p.files("c4_en", "val").stream().map(f -> f.getFileName().toString()).toList());
    List<String> c4 = texts("c4_en", "val");
    assertEquals(4, c4.size());
    assertTrue(c4.get(0).startsWith("The bakery on the corner"));
    assertEquals(2, texts("c4_en", "test").size());
    assertEquals(3, texts("wikitext_103", "val").size());
    List<String> two = new ArrayList<>();
    p.forEachText("c4_en", "val", 2, two::add);
    assertEquals(c4.subList(0, 2), two);
  }

  @Test
  void documentWindowsAreAlignedSlicesOfOneDocument() throws Exception {
    List<String> docs = texts("wikitext_103", "val");
    int length = 40;
    long candidates = docs.stream().mapToLong(d -> d.codePoints().count() / length).sum();
    List<int[]> all = PalomaWindows.build(settings(List.of("wikitext_103"), length, (int) candidates, 1, "document", -1), CHARS);
    assertEquals(candidates, all.size(), "asking for every candidate returns every one");
    int k = 0;
    for (String d : docs) {
      int[] cps = d.codePoints().toArray();
      for (int start = 0; start + length <= cps.length; start += length) {
        assertArrayEquals(java.util.Arrays.copyOfRange(cps, start, start + length), all.get(k++), "corpus order");
      }
    }
    var tooMany = assertThrows(IllegalArgumentException.class,
        () -> PalomaWindows.build(settings(List.of("wikitext_103"), length, (int) candidates + 1, 1, "document", -1), CHARS));
    assertEquals(SAMPLE + ": only " + candidates + " windows of 40 tokens in subsets [wikitext_103] (split val, packing document),"
        + " asked for " + (candidates + 1), tooMany.getMessage());
  }

  @Test
  void drawsAreDeterministicDistinctAndDependOnTheSeed() throws Exception {
    List<String> sub = List.of();
    List<int[]> a = PalomaWindows.build(settings(sub, 12, 8, 7, "document", -1), CHARS);
    List<int[]> b = PalomaWindows.build(settings(sub, 12, 8, 7, "document", -1), CHARS);
    List<int[]> c = PalomaWindows.build(settings(sub, 12, 8, 8, "document", -1), CHARS);
    assertEquals(8, a.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i));
      assertEquals(12, a.get(i).length);
      for (int j = 0; j < i; j++) {
        assertNotEquals(List.of(a.get(i)), List.of(a.get(j)));
      }
    }
    assertNotEquals(a.stream().map(java.util.Arrays::toString).toList(), c.stream().map(java.util.Arrays::toString).toList());
  }

  @Test
  void streamWindowsCutTheConcatenationWithSeparators() throws Exception {
    List<String> docs = texts("c4_en", "val");
    List<Integer> stream = new ArrayList<>();
    for (String d : docs) {
      d.codePoints().forEach(stream::add);
      stream.add(0); // the separator
    }
    int length = 50;
    int candidates = stream.size() / length;
    List<int[]> all = PalomaWindows.build(settings(List.of("c4_en"), length, candidates, 3, "stream", 0), CHARS);
    for (int k = 0; k < candidates; k++) {
      int[] expected = stream.subList(k * length, (k + 1) * length).stream().mapToInt(Integer::intValue).toArray();
      assertArrayEquals(expected, all.get(k));
    }
  }

  @Test
  void theCheckpointsTokenizerJsonTokenizesThroughDjl() throws Exception {
    // A byte-level BPE without merges: one token per UTF-8 byte, so the candidates are known.
    long bytes = 0;
    for (String s : new String[] {"c4_en", "wikitext_103"}) {
      for (String d : texts(s, "val")) {
        bytes += d.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    int length = 64;
    int candidates = (int) (bytes / length);
    List<int[]> w = PalomaWindows.build(settings(List.of(), length, candidates, 0, "stream", -1), BYTES);
    assertEquals(candidates, w.size());
    assertThrows(IllegalArgumentException.class,
        () -> PalomaWindows.build(settings(List.of(), length, candidates + 1, 0, "stream", -1), BYTES));
    for (int[] window : w) {
      for (int id : window) {
        assertTrue(id >= 1 && id < 257, "byte tokens, no special tokens added: " + id);
      }
    }
  }

  @Test
  void longDocumentsAreNotTruncatedByTheTokenizer(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ptb/val/val_ptb.jsonl");
    Files.createDirectories(f.getParent());
    Files.writeString(f, "{\"text\": \"" + "the cat sat on the mat. ".repeat(100) + "\"}\n"); // 2400 bytes
    List<int[]> w = PalomaWindows.build(new PalomaWindows.Settings(dir, List.of(), "val", 500, 4, 0, "document", -1, 0), BYTES);
    assertEquals(4, w.size());
    assertThrows(IllegalArgumentException.class,
        () -> PalomaWindows.build(new PalomaWindows.Settings(dir, List.of(), "val", 500, 5, 0, "document", -1, 0), BYTES));
  }

  @Test
  void badLinesAndSettingsAreNamed(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ptb/val/val_ptb.jsonl");
    Files.createDirectories(f.getParent());
    Files.writeString(f, "{\"text\": \"fine\"}\n\n{\"id\": 3}\n");
    var e = assertThrows(IllegalArgumentException.class, () -> new Paloma(dir).forEachText("ptb", "val", 0, t -> { }));
    assertEquals(f + ": line 3: key 'text': missing or not a string", e.getMessage());
    var missing = assertThrows(IllegalArgumentException.class, () -> new Paloma(dir).files("ptb", "test"));
    assertEquals(dir.resolve("ptb/test") + ": missing (no subset 'ptb' with a test split)", missing.getMessage());
    ConfigNode n = ConfigNode.parse("w.yaml", new StringReader("root: /p\nlength: 256\ncount: 4\npacking: stream\nseparator: 50279\n"));
    assertEquals(new PalomaWindows.Settings(Path.of("/p"), List.of(), "val", 256, 4, 0, "stream", 50279, 0),
        PalomaWindows.Settings.fromConfig(n));
    ConfigNode bad = ConfigNode.parse("w.yaml", new StringReader("root: /p\npacking: lines\n"));
    var b = assertThrows(ConfigException.class, () -> PalomaWindows.Settings.fromConfig(bad));
    assertTrue(b.getMessage().contains("w.yaml") && b.getMessage().contains("packing"), b.getMessage());
  }
}
