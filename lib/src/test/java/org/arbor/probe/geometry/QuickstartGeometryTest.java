package org.arbor.probe.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.arbor.model.CausalLm;
import org.arbor.model.Models;
import org.arbor.probe.ProbeContext;
import org.arbor.probe.ProbeCorpus;
import org.arbor.probe.ProbeResult;
import org.arbor.probe.geometry.RepresentationSimilarity.Centring;
import org.arbor.probe.geometry.RepresentationSimilarity.Level;
import org.junit.jupiter.api.Test;

/**
 * The probe end to end on the quickstart model's last checkpoint (skipped where it has not been
 * trained). Prints the numbers; asserts only what holds for any model.
 */
class QuickstartGeometryTest {
  static final Path RUN = Path.of("/work/main/out/runs/quick-pcfg/checkpoints");
  static final Path CORPUS = Path.of("/work/main/out/quickstart/corpus-pcfg");

  @Test
  void runsOnTheQuickstartCheckpoint() throws Exception {
    assumeTrue(Files.isDirectory(RUN) && Files.isRegularFile(CORPUS.resolve("manifest.json")),
        "quickstart run or corpus missing");
    Path last;
    try (Stream<Path> steps = Files.list(RUN)) {
      last = steps.filter(p -> p.getFileName().toString().startsWith("step-"))
          .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(5)))).orElseThrow();
    }
    GeometryProbe.Settings settings = new GeometryProbe.Settings(20, 256, 0.2, 1e-3, List.of(LatentTarget.values()),
        32, List.of(Level.values()), Centring.MEAN, 8, 60, 1e-4);
    try (NDManager manager = NDManager.newBaseManager(); CausalLm model = Models.load(last, manager)) {
      long start = System.nanoTime();
      List<ProbeResult> results = new GeometryProbe(settings)
          .run(new ProbeContext(model, ProbeCorpus.open(CORPUS), null, 1, manager));
      System.out.printf("geometry on %s: %d rows in %.1f s%n", last, results.size(), (System.nanoTime() - start) / 1e9);
      for (ProbeResult r : results) {
        System.out.printf("  %3d %-50s %8.4f%n", r.layer(), r.key(), r.value());
      }
      // 8 targets x (baseline, embed, 2 layers) + 4 levels x 2 kinds x 3 points.
      assertEquals(8 * 4 + 4 * 2 * 3, results.size());
      for (ProbeResult r : results) {
        assertTrue(r.layer() >= -1 && r.layer() < model.layers());
        assertTrue(r.key().startsWith("probe_r2") ? r.value() <= 1 : Math.abs(r.value()) <= 1 + 1e-9, r.toString());
      }
    }
  }
}
