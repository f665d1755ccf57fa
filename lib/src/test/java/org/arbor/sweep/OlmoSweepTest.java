package org.arbor.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.arbor.olmo.OlmoConfig;
import org.arbor.olmo.RandomOlmo;
import org.arbor.results.ResultRow;
import org.arbor.testing.Oracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OLMo revisions as runs of a sweep: selected by step, probed on Paloma windows, parsed step and tokens. */
class OlmoSweepTest {
  @TempDir Path dir;

  @Test
  void revisionsAreRunsWithTheirStepsAndPalomaText() throws Exception {
    OlmoConfig c = new OlmoConfig(264, 16, 2, 2, 32, 128, 10000, Double.NaN, true);
    Path tokenizer = Oracle.root().resolve("lib/src/test/resources/olmo/byte-tokenizer.json");
    for (String name : List.of("step0-tokens0B", "step1000-tokens4B", "step2000-tokens8B", "step4000-tokens17B")) {
      RandomOlmo.write(dir.resolve("olmo").resolve(name), c, "F32", 0.02, name.length());
      Files.copy(tokenizer, dir.resolve("olmo").resolve(name).resolve("tokenizer.json"));
    }
    Path yaml = dir.resolve("sweep.yaml");
    Files.writeString(yaml, """
        name: olmo
        seed: 3
        runs:
          - olmo: olmo
            select: {select: even, count: 2}
            paloma: {root: %s, subsets: [wikitext_103], length: 32, count: 4}
        probes:
          induction: {samples: 2, sequence_length: 8, k_max: 2, icl_windows: 4}
          function_vector: {prompts: 4, demonstrations: 3}
        """.formatted(Oracle.root().resolve("lib/src/test/resources/paloma-sample")));
    SweepSpec spec = SweepSpec.load(yaml);
    List<SweepCell> cells = SweepPlan.cells(spec);
    assertEquals(List.of(0L, 4000L), cells.stream().map(SweepCell::step).distinct().toList(),
        "even selection of 2: the ends");
    List<SweepCell> last = cells.stream().filter(cell -> cell.step() == 4000).toList();
    assertEquals(2, last.size(), "one cell per probe group");
    assertEquals(17_000_000_000L, last.get(0).tokensSeen());
    try (ModelCache cache = new ModelCache(1)) {
      List<ResultRow> rows = new java.util.ArrayList<>();
      for (SweepCell cell : last) {
        rows.addAll(new CellRunner(spec, cache).run(cell));
      }
      assertEquals(List.of(), rows.stream().filter(ResultRow::isError).map(ResultRow::error).toList());
      Set<String> keys = rows.stream().map(ResultRow::key).collect(Collectors.toSet());
      assertTrue(keys.containsAll(Set.of("prefix_matching", "copying", "icl_score")), keys.toString());
      // Function vectors on the recall task over the byte tokenizer's ordinary ids (1-256 of 264 rows).
      assertTrue(rows.stream().anyMatch(r -> r.probe().equals("function_vector")), keys.toString());
      ResultRow icl = rows.stream().filter(r -> r.key().equals("icl_score")).findFirst().orElseThrow();
      assertEquals("olmo", icl.modelKind());
      assertEquals(4000, icl.step());
      assertTrue(Double.isFinite(icl.value()));
    }
  }
}
