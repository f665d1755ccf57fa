package org.arbor.probe.fv;

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
import org.junit.jupiter.api.Test;

/**
 * The probe end to end on the quickstart run's last checkpoint (skipped where it has not been
 * trained): prints the numbers, asserts only what holds for any model.
 */
class QuickstartCheckpointTest {
  @Test
  void runsOnTheQuickstartCheckpoint() throws Exception {
    Path root = TasksTest.root();
    Path runs = Stream.of(root.resolve("out/runs/quick-pcfg"), root.resolveSibling("main").resolve("out/runs/quick-pcfg"))
        .filter(Files::isDirectory).findFirst().orElse(null);
    assumeTrue(runs != null, "no quickstart run (out/runs/quick-pcfg)");
    Path checkpoint;
    try (Stream<Path> s = Files.list(runs.resolve("checkpoints"))) {
      checkpoint = s.filter(p -> p.getFileName().toString().matches("step-\\d+"))
          .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(5)))).orElseThrow();
    }
    Path corpus = runs.getParent().getParent().resolve("quickstart/corpus-pcfg");
    assumeTrue(Files.isRegularFile(corpus.resolve("manifest.json")), "no quickstart corpus");
    try (NDManager manager = NDManager.newBaseManager(); CausalLm model = Models.load(checkpoint, manager)) {
      ProbeContext context = new ProbeContext(model, ProbeCorpus.open(corpus), null, 1, manager);
      // Defaults but 8 prompts per set (one batch), to keep the test short; -Darbor.fv.prompts=32 times the default.
      int prompts = Integer.getInteger("arbor.fv.prompts", 8);
      FunctionVectorProbe probe = new FunctionVectorProbe(new FunctionVectorProbe.Settings(null, prompts, 10,
          FunctionVectorProbe.Settings.SCALED, 16, 2, null, -1));
      var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpu = os.getProcessCpuTime();
      long start = System.nanoTime();
      List<FunctionVectorProbe.TaskMeasurement> measured = probe.measure(context);
      System.out.printf("function_vector on %s, %d prompts per set: %.1f s wall, %.1f s process CPU%n", checkpoint,
          prompts, (System.nanoTime() - start) / 1e9, (os.getProcessCpuTime() - cpu) / 1e9);
      for (FunctionVectorProbe.TaskMeasurement m : measured) {
        System.out.printf("task %-9s P(answer) icl %.3f shuffled %.3f zero-shot %.3f | accuracy icl %.3f shuffled %.3f "
            + "zero-shot %.3f%n", m.task(), m.inContextProbability(), m.shuffledProbability(), m.zeroShotProbability(),
            m.inContextAccuracy(), m.shuffledAccuracy(), m.zeroShotAccuracy());
        for (int l = 0; l < m.cie().length; l++) {
          System.out.printf("  layer %d cie %s fv_gain %+.4f fv_accuracy %.3f paper_patch_gain %+.4f%n", l,
              java.util.Arrays.toString(java.util.Arrays.stream(m.cie()[l]).map(x -> Math.round(x * 1e4) / 1e4).toArray()),
              m.fvGain()[l], m.fvAccuracy()[l], m.paperPatchGain()[l]);
        }
        System.out.println("  function vector heads " + java.util.Arrays.deepToString(m.functionVectorHeads()));
      }
      List<ProbeResult> rows = FunctionVectorProbe.rows(measured);
      int perTask = model.layers() * model.heads() + 3 * model.layers() + 1;
      assertEquals(3 * perTask, rows.size());
      for (ProbeResult r : rows) {
        assertTrue(Double.isFinite(r.value()), r.toString());
        if (r.key().startsWith("fv_accuracy") || r.key().startsWith("zero_shot_accuracy")) {
          assertTrue(r.value() >= 0 && r.value() <= 1, r.toString());
        } else {
          assertTrue(r.value() >= -1 && r.value() <= 1, "a difference of probabilities: " + r);
        }
      }
      for (FunctionVectorProbe.TaskMeasurement m : measured) {
        for (double p : new double[] {m.inContextProbability(), m.shuffledProbability(), m.zeroShotProbability()}) {
          assertTrue(p >= 0 && p <= 1 + 1e-6, m.task() + ": " + p);
        }
      }
    }
  }
}
