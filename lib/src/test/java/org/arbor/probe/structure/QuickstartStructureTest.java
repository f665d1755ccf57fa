package org.arbor.probe.structure;

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
import org.arbor.probe.induction.QuickstartRun;
import org.junit.jupiter.api.Test;

/** The structure probe end to end on the quickstart's last checkpoint and its PCFG. */
class QuickstartStructureTest {
  @Test
  void runsOnTheTrainedQuickstartModel() throws Exception {
    Path checkpoint = QuickstartRun.lastCheckpoint();
    assumeTrue(checkpoint != null, "no quickstart run under " + QuickstartRun.out());
    try (NDManager manager = NDManager.newBaseManager(); CausalLm model = Models.load(checkpoint, manager)) {
      ProbeContext ctx = new ProbeContext(model, ProbeCorpus.open(QuickstartRun.corpus()), List.of(), 7, manager);
      StructureProbe probe = new StructureProbe(StructureProbe.Settings.defaults());
      long start = System.nanoTime();
      List<ProbeResult> rows = probe.run(ctx);
      System.out.printf("structure probe on %s: %.2f s%n", checkpoint, (System.nanoTime() - start) / 1e9);
      rows.forEach(r -> System.out.printf("  %-22s %10.5f%n", r.key(), r.value()));
      assertEquals(List.of("verb_after_s", "object_after_sv", "subject_after_svoc", "grammatical_fraction"),
          rows.stream().map(ProbeResult::key).toList());
      for (ProbeResult r : rows) {
        assertTrue(r.value() >= 0 && r.value() <= 1 + 1e-6, r.toString()); // probabilities and a share
      }
    }
  }
}
