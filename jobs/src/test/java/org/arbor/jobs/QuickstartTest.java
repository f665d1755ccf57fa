package org.arbor.jobs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.arbor.results.ResultRow;
import org.arbor.results.ResultsTable;
import org.arbor.sweep.SweepSpec;
import org.junit.Test;

/**
 * The quickstart end to end at a tiny scale (the presets' processes and probes, a few hundred
 * training steps' worth of tokens less): both corpora, both runs, every probe over every checkpoint,
 * the report. Its results table is kept at jobs/target/quickstart-tiny/results for the notebooks.
 */
public class QuickstartTest extends SparkTestBase {
  @Test
  public void everyProbeRunsOnEveryCheckpointOfBothModels() throws Exception {
    Path root = TestCorpora.root();
    Path out = root.resolve("jobs/target/quickstart-tiny");
    deleteTree(out);
    Path conf = Files.createTempDirectory("arbor-quickstart-test");
    String[] configs = TestCorpora.tinyQuickstart(conf);
    Path sweep = Path.of(configs[7]);
    Set<String> probes = SweepSpec.load(root.resolve("conf/sweeps/quickstart.yaml")).probes.keySet();
    assertEquals("the test runs the quickstart's probes", probes, SweepSpec.load(sweep).probes.keySet());

    String[] args = new String[configs.length + 2];
    args[0] = "--out";
    args[1] = out.toString();
    System.arraycopy(configs, 0, args, 2, configs.length);
    Quickstart.run(args);

    List<ResultRow> rows = ResultsTable.read(out.resolve("results"));
    assertEquals("no error rows", List.of(), rows.stream().filter(ResultRow::isError).map(ResultRow::error).toList());
    Map<String, Set<String>> probesByCheckpoint = new TreeMap<>();
    for (ResultRow r : rows) {
      probesByCheckpoint.computeIfAbsent(r.modelKind() + " " + r.step(), k -> new TreeSet<>()).add(r.probe());
    }
    Set<String> expected = new TreeSet<>(probes);
    expected.add("loss");
    assertEquals(6, probesByCheckpoint.size());
    probesByCheckpoint.forEach((k, v) -> assertEquals(k, expected, v));
    Map<String, List<Double>> heldOut = rows.stream().filter(r -> r.key().equals("heldout_loss"))
        .sorted(java.util.Comparator.comparingLong(ResultRow::step))
        .collect(Collectors.groupingBy(ResultRow::modelKind, Collectors.mapping(ResultRow::value, Collectors.toList())));
    for (List<Double> curve : heldOut.values()) {
      org.junit.Assert.assertTrue("held-out loss falls: " + curve, curve.get(curve.size() - 1) < curve.get(0));
      org.junit.Assert.assertTrue("below the uniform loss ln 69: " + curve, curve.get(0) < Math.log(69));
    }
    assertTrue(Files.isRegularFile(out.resolve("report/index.html")));
    String html = Files.readString(out.resolve("report/index.html"));
    for (String figure : List.of("loss", "induction", "icl_score", "hydra_compensation", "structure", "geometry")) {
      org.junit.Assert.assertTrue(figure, html.contains("figures/" + figure));
    }
  }

  private static void deleteTree(Path p) throws java.io.IOException {
    if (Files.exists(p)) {
      try (var s = Files.walk(p)) {
        for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(q);
        }
      }
    }
  }
}
