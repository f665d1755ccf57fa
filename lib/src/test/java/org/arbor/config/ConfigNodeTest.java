package org.arbor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigNodeTest {
  private static ConfigNode parse(String yaml) {
    return ConfigNode.parse("test.yaml", new StringReader(yaml));
  }

  /** Asserts the message names the file, the full key path and the problem. */
  static void assertNames(ConfigException e, String key, String problem) {
    String m = e.getMessage();
    assertTrue(m.startsWith("test.yaml: "), "names the file: " + m);
    assertTrue(m.contains("key '" + key + "'"), "names key " + key + ": " + m);
    assertTrue(m.contains(problem), "says '" + problem + "': " + m);
  }

  @Test
  void numbersAndFractions() {
    ConfigNode n = parse("a: 1/3\nb: 0.25\nc: 3\nd: ' 2 / 8 '\n");
    assertEquals(1 / 3.0, n.number("a"), 0);
    assertEquals(0.25, n.number("b"), 0);
    assertEquals(3.0, n.number("c"), 0);
    assertEquals(0.25, n.number("d"), 0);
    n.finish();
  }

  @Test
  void badNumbersNameTheKey() {
    assertNames(assertThrows(ConfigException.class, () -> parse("x: {y: abc}").child("x").number("y")),
        "x.y", "expected a number, got 'abc'");
    assertNames(assertThrows(ConfigException.class, () -> parse("x: /3").number("x")), "x", "expected a number");
    assertNames(assertThrows(ConfigException.class, () -> parse("x: [1]").number("x")), "x", "expected a number, got a list");
  }

  @Test
  void integersAndCounts() {
    ConfigNode n = parse("a: 12\nb: 5000000000\nc: 5.0e+9\nd: -3\ne: 2.5\n");
    assertEquals(12, n.count("a"));
    assertEquals(5_000_000_000L, n.longValue("b"));
    assertEquals(5_000_000_000L, n.longValue("c"));
    assertNames(assertThrows(ConfigException.class, () -> n.count("d")), "d", "must not be negative, got -3");
    assertNames(assertThrows(ConfigException.class, () -> n.longValue("e")), "e", "expected an integer, got '2.5'");
    assertNames(assertThrows(ConfigException.class, () -> n.intValue("b")), "b", "out of range");
  }

  @Test
  void scientificCountsWithoutADot() {
    // YAML 1.1 reads 5e9 as a string; the config still means the count 5 000 000 000.
    ConfigNode n = parse("a: 5e9\nb: 3e5\nc: 1.5e0\n");
    assertEquals(5_000_000_000L, n.longValue("a"));
    assertEquals(300_000, n.count("b"));
    assertNames(assertThrows(ConfigException.class, () -> n.longValue("c")), "c", "expected an integer");
  }

  @Test
  void missingKeyIsAnError() {
    ConfigNode n = parse("outer: {inner: 1}\nempty:\n");
    assertNames(assertThrows(ConfigException.class, () -> n.child("outer").count("other")), "outer.other", "missing (required)");
    assertNames(assertThrows(ConfigException.class, () -> n.string("empty")), "empty", "missing (required)");
    assertNames(assertThrows(ConfigException.class, () -> n.child("nothere")), "nothere", "missing (required)");
  }

  @Test
  void defaultsDoNotMakeKeysUnknown() {
    ConfigNode n = parse("a: 1\n");
    assertEquals(7, n.count("b", 7));
    assertEquals("x", n.string("s", "x"));
    assertEquals(1, n.count("a", 9));
    n.finish();
  }

  @Test
  void unknownKeysAtEveryDepth() {
    ConfigNode root = parse("a: 1\ntypo: 2\n");
    root.count("a");
    assertNames(assertThrows(ConfigException.class, root::finish), "typo", "unknown key");

    ConfigNode r2 = parse("x: {y: {z: 1, zz: 2}}\n");
    ConfigNode y = r2.child("x").child("y");
    y.count("z");
    assertNames(assertThrows(ConfigException.class, y::finish), "x.y.zz", "unknown key");

    ConfigNode r3 = parse("items: [{p: 1}, {p: 2, q: 3}]\n");
    List<ConfigNode> items = r3.childList("items");
    items.get(0).number("p");
    items.get(0).finish();
    items.get(1).number("p");
    assertNames(assertThrows(ConfigException.class, items.get(1)::finish), "items[1].q", "unknown key");
  }

  @Test
  void typesAreChecked() {
    ConfigNode n = parse("s: 3\nl: x\nm: [1]\nb: yes please\nlist: [a, [b]]\nitems: [1]\n");
    assertNames(assertThrows(ConfigException.class, () -> n.string("s")), "s", "expected a string, got '3'");
    assertNames(assertThrows(ConfigException.class, () -> n.list("l")), "l", "expected a list, got 'x'");
    assertNames(assertThrows(ConfigException.class, () -> n.child("m")), "m", "expected a mapping, got a list");
    assertNames(assertThrows(ConfigException.class, () -> n.bool("b", false)), "b", "expected true or false");
    assertNames(assertThrows(ConfigException.class, () -> n.stringList("list")), "list[1]", "expected a name, got a list");
    assertNames(assertThrows(ConfigException.class, () -> n.childList("items")), "items[0]", "expected a mapping");
  }

  @Test
  void topLevelMustBeAMappingAndValidYaml() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse("- a\n- b\n"));
    assertTrue(e.getMessage().startsWith("test.yaml: ") && e.getMessage().contains("mapping"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> parse("a: [1, 2\n"));
    assertTrue(e.getMessage().startsWith("test.yaml: ") && e.getMessage().contains("invalid YAML"), e.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigNode.load(java.nio.file.Path.of("/nonexistent/arbor.yaml")));
    assertTrue(e.getMessage().contains("/nonexistent/arbor.yaml") && e.getMessage().contains("file not found"), e.getMessage());
  }
}
