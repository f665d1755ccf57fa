package org.arbor.probe.induction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.arbor.model.CausalLm;
import org.arbor.model.Models;
import org.arbor.probe.ProbeContext;
import org.arbor.probe.ProbeCorpus;
import org.arbor.probe.ProbeResult;
import org.junit.jupiter.api.Test;

/** The induction probe end to end on the quickstart's last checkpoint, with its corpus's test split. */
class QuickstartInductionTest {
  @Test
  void runsOnTheTrainedQuickstartModel() throws Exception {
    Path checkpoint = QuickstartRun.lastCheckpoint();
    assumeTrue(checkpoint != null, "no quickstart run under " + QuickstartRun.out());
    try (NDManager manager = NDManager.newBaseManager(); CausalLm model = Models.load(checkpoint, manager)) {
      ProbeContext ctx = new ProbeContext(model, ProbeCorpus.open(QuickstartRun.corpus()), List.of(), 7, manager);
      InductionProbe probe = new InductionProbe(InductionProbe.Settings.defaults());
      long start = System.nanoTime();
      List<ProbeResult> rows = probe.run(ctx);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("induction probe on %s: %.2f s%n", checkpoint, seconds);
      rows.forEach(r -> System.out.printf("  %-28s L%2d H%2d %10.5f%n", r.key(), r.layer(), r.head(), r.value()));
      int heads = model.layers() * model.heads();
      assertEquals(3 * heads + 10 + 3, rows.size());
      for (ProbeResult r : rows) {
        assertTrue(Double.isFinite(r.value()), r.toString());
        if (r.key().startsWith("prefix") || r.key().startsWith("duplicate")) {
          assertTrue(r.value() >= 0 && r.value() <= 1 + 1e-6, r.toString()); // attention probabilities
        }
      }
      double early = InductionProbeTest.value(rows, -1, -1, "loss_early");
      double late = InductionProbeTest.value(rows, -1, -1, "loss_late");
      assertEquals(late - early, InductionProbeTest.value(rows, -1, -1, "icl_score"), 1e-12);
      // Cross-entropy is positive and, for a trained model, below the uniform ln V.
      assertTrue(early > 0 && late > 0 && early < Math.log(model.vocabSize()) && late < Math.log(model.vocabSize()));
    }
  }
}
