package org.arbor.ngram;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.arbor.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad N-gram config fails with a ConfigException naming the file and the offending key. */
class BadConfigTest {
  private static final String FILE = "conf/ngram/broken.yaml";

  static final String GOOD = """
      kind: ngram
      name: tiny
      vocabulary: {content: 5}
      boundaries: {sentence: "[EOS]"}
      specials: ["[UNK]", "[PAD]"]
      tables:
        count: 3
        exponent: {mu: 2.0, sigma: 1.2, min: 1.2}
        ranking: shared
      context:
        mode: variable
        orders: [1, 2, 4]
        order_weight_exponent: 1.5
      sentence: {min_length: 10, length_spread: 100}
      document: {sentences: 16}
      """;

  @Test
  void theBaseConfigIsValid() {
    NgramTestSupport.spec(FILE, GOOD);
  }

  /** Replaces the first occurrence of {@code from} in the good config. */
  static String edit(String from, String to) {
    assertTrue(GOOD.contains(from), from);
    return GOOD.replaceFirst(java.util.regex.Pattern.quote(from),
        java.util.regex.Matcher.quoteReplacement(to));
  }

  @ParameterizedTest(name = "{2}")
  @CsvSource(delimiter = '|', value = {
      // from | to | key named in the message | words of the problem
      "name: tiny | name: tiny\\ncolour: blue | colour | unknown key",
      "count: 3 | count: 3\\n  cout: 4 | tables.cout | unknown key",
      "ranking: shared | ranking: shared\\n  order: 2 | tables.order | unknown key",
      "count: 3 | count: -3 | tables.count | must not be negative",
      "{content: 5} | {content: -1} | vocabulary.content | must not be negative",
      "{sentences: 16} | {sentences: -2} | document.sentences | must not be negative",
      "{min_length: 10, | {min_length: -10, | sentence.min_length | must not be negative",
      "mode: variable | mode: quadratic | context.mode | expected variable or fixed",
      "ranking: shared | ranking: sorted | tables.ranking | expected shared or permuted",
      "sigma: 1.2 | sigma: -1 | tables.exponent.sigma | must be a finite number >= 0",
      "mu: 2.0 | mu: .nan | tables.exponent.mu | must be a finite number",
      "min: 1.2 | min: .inf | tables.exponent.min | must be a finite number >= 0",
      "order_weight_exponent: 1.5 | order_weight_exponent: .nan | context.order_weight_exponent"
          + " | must be a finite number",
      "count: 3 | count: three | tables.count | expected an integer",
      "count: 3 | count: 0 | tables.count | at least one table",
      "[1, 2, 4] | [1, 2.5, 4] | context.orders | non-negative integers",
      "[1, 2, 4] | [] | context.orders | at least one order",
      "length_spread: 100 | length_spread: 0 | sentence.length_spread | at least 1",
      "{min_length: 10, | { | sentence.min_length | missing",
      "kind: ngram | kind: pcfg | kind | expected 'ngram'",
      // Fixed mode reads only 'order': the variable-mode keys left behind are typos now.
      "mode: variable | mode: fixed\\n  order: 3 | context.orders | unknown key",
      "ranking: shared | ranking: shared\\n  permuted_share: 0.5 | tables.permuted_share | ranking: permuted only",
      "ranking: shared | ranking: permuted\\n  permuted_share: 0 | tables.permuted_share | must be in (0, 1]",
  })
  void badConfigNamesFileAndKey(String from, String to, String key, String problem) {
    String yaml = edit(from.strip(), to.strip().replace("\\n", "\n"));
    ConfigException e = assertThrows(ConfigException.class, () -> NgramTestSupport.spec(FILE, yaml));
    String m = e.getMessage();
    assertTrue(m.startsWith(FILE + ": "), "message does not name the file: " + m);
    assertTrue(m.contains("key '" + key + "'"), "message does not name key " + key + ": " + m);
    assertTrue(m.contains(problem), "message does not say '" + problem + "': " + m);
  }

  @Test
  void missingFileIsNamed() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> NgramSpec.load(java.nio.file.Paths.get("/nonexistent/ngram.yaml")));
    assertTrue(e.getMessage().startsWith("/nonexistent/ngram.yaml: "), e.getMessage());
  }
}
