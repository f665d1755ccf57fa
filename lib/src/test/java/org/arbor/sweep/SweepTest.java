package org.arbor.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.arbor.config.ConfigException;
import org.arbor.results.ResultRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {
  @TempDir Path dir;

  @Test
  void cellsCoverEveryCheckpointAndGroupWithStableIds() throws Exception {
    SweepSpec spec = SweepSpec.load(SweepFixture.write(dir));
    List<SweepCell> cells = SweepPlan.cells(spec);
    // 4 checkpoints x (loss + one probe group).
    assertEquals(8, cells.size());
    assertEquals(List.of(2L, 2L, 4L, 4L, 6L, 6L, 8L, 8L), cells.stream().map(SweepCell::step).toList());
    assertEquals("pcfg", cells.get(0).modelKind());
    assertEquals(400, cells.get(2).tokensSeen());
    assertEquals(cells, SweepPlan.cells(SweepSpec.load(dir.resolve("sweep.yaml"))), "ids are a function of the sweep");
    Files.writeString(dir.resolve("sweep.yaml"), Files.readString(dir.resolve("sweep.yaml")).replace("factor: 2", "factor: 3"));
    List<SweepCell> changed = SweepPlan.cells(SweepSpec.load(dir.resolve("sweep.yaml")));
    assertEquals(cells.get(0).id(), changed.get(0).id(), "loss cells do not depend on probe settings");
    assertNotEquals(cells.get(1).id(), changed.get(1).id(), "probe cells do");
  }

  @Test
  void lossProbeAndErrorRowsHaveTheirKnownValues() throws Exception {
    SweepSpec spec = SweepSpec.load(SweepFixture.write(dir));
    try (ModelCache cache = new ModelCache(2)) {
      CellRunner runner = new CellRunner(spec, cache);
      Map<Long, List<ResultRow>> byStep = SweepPlan.cells(spec).stream().flatMap(c -> runner.run(c).stream())
          .collect(Collectors.groupingBy(ResultRow::step));
      // Step 4: train loss = mean of the losses of steps 1..4 (10 - s) = 7.5; eval at step 4 = 16.
      assertEquals(Map.of("train_loss", 7.5, "heldout_loss", 16.0, "entropy_floor", SweepFixture.ENTROPY_FLOOR,
          "value", 2.0 * 1003), values(byStep.get(4L)));
      assertEquals(2 * 1003.0, values(byStep.get(2L)).get("value"));
      ResultRow corrupt = byStep.get(6L).stream().filter(ResultRow::isError).findFirst().orElseThrow();
      assertTrue(corrupt.error().contains("step-6") && corrupt.error().contains("config.json"), corrupt.error());
      ResultRow other = byStep.get(8L).stream().filter(ResultRow::isError).findFirst().orElseThrow();
      assertTrue(other.error().contains("step-8") && other.error().contains("vocabulary 10"), other.error());
      assertEquals(SweepFixture.PROBE, other.probe());
      assertEquals(3, cache.loads(), "each good or mis-shaped checkpoint loaded once");
    }
  }

  @Test
  void aTableKeepsItsSettings() throws Exception {
    SweepSpec spec = SweepSpec.load(SweepFixture.write(dir));
    Path out = dir.resolve("results");
    SweepPlan.record(spec, out);
    SweepPlan.record(spec, out);
    Files.writeString(dir.resolve("sweep.yaml"), Files.readString(dir.resolve("sweep.yaml")).replace("factor: 2", "factor: 3"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SweepPlan.record(SweepSpec.load(dir.resolve("sweep.yaml")), out));
    assertTrue(e.getMessage().contains("_sweep.json") && e.getMessage().contains(SweepFixture.PROBE), e.getMessage());
  }

  @Test
  void badSweepsNameTheKey() throws Exception {
    SweepFixture.write(dir);
    assertTrue(assertThrows(ConfigException.class, () -> new SweepSpec(SweepFixture.yaml(
        "name: x\nruns: [{run: r}]\nprobes: {nope: {}}\n"), dir)).getMessage()
        .startsWith("test.yaml: key 'probes.nope': unknown probe 'nope' (known: "));
    assertTrue(assertThrows(ConfigException.class, () -> new SweepSpec(SweepFixture.yaml(
        "name: x\nruns: [{run: r}]\nprobes: {vocab_size: {factr: 1}}\n"), dir)).getMessage().contains("factr"));
    assertTrue(assertThrows(ConfigException.class, () -> new SweepSpec(SweepFixture.yaml(
        "name: x\nruns: [{rnu: r}]\nprobes: {vocab_size: {}}\n"), dir)).getMessage().contains("runs[0]"));
    assertTrue(assertThrows(ConfigException.class, () -> new SweepSpec(SweepFixture.yaml(
        "name: x\nruns: [{run: r}]\nprobes: {vocab_size: {}}\ngroups: [[vocab_size], [vocab_size]]\n"), dir))
        .getMessage().contains("more than one group"));
  }

  private static Map<String, Double> values(List<ResultRow> rows) {
    return rows.stream().filter(r -> !r.isError()).collect(Collectors.toMap(ResultRow::key, ResultRow::value));
  }
}
