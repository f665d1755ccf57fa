package org.arbor.probe.hydra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.arbor.corpus.Document;
import org.arbor.model.CausalLm;
import org.arbor.model.Models;
import org.arbor.probe.ProbeContext;
import org.arbor.probe.ProbeCorpus;
import org.arbor.probe.ProbeResult;
import org.junit.jupiter.api.Test;

/**
 * End to end on the quickstart model (skipped where it has not been trained): only properties that
 * hold for any model are asserted; the numbers are printed.
 */
class HydraQuickstartTest {
  static final Path ROOT = Path.of(System.getProperty("arbor.quickstart", "/work/main/out"));
  static final Path RUN = ROOT.resolve("runs/quick-pcfg/checkpoints");
  static final Path CORPUS = ROOT.resolve("quickstart/corpus-pcfg");

  static Path lastCheckpoint() throws IOException {
    try (Stream<Path> s = Files.list(RUN)) {
      return s.filter(p -> p.getFileName().toString().startsWith("step-"))
          .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(5)))).orElseThrow();
    }
  }

  @Test
  void quickstartCheckpoint() throws IOException {
    assumeTrue(Files.isDirectory(RUN) && Files.isDirectory(CORPUS), "no quickstart run at " + ROOT);
    Path checkpoint = lastCheckpoint();
    HydraProbe probe = new HydraProbe(HydraProbe.Settings.defaults());
    try (NDManager manager = NDManager.newBaseManager(); CausalLm model = Models.load(checkpoint, manager)) {
      ProbeCorpus corpus = ProbeCorpus.open(CORPUS);
      ProbeContext context = new ProbeContext(model, corpus, List.of(), 1, manager);
      java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
      long start = System.nanoTime();
      long cpu = threads.getCurrentThreadCpuTime();
      List<ProbeResult> rows = probe.run(context);
      System.out.printf("hydra on %s: %d rows in %.2f s (this thread's CPU %.2f s)%n", checkpoint, rows.size(),
          (System.nanoTime() - start) / 1e9, (threads.getCurrentThreadCpuTime() - cpu) / 1e9);
      rows.forEach(r -> System.out.printf("  L%d h%2d %-24s % .5f%n", r.layer(), r.head(), r.key(), r.value()));

      int layers = model.layers();
      int heads = model.heads();
      int paperRows = 0;
      for (int k : ZeroAblationLens.KS) {
        paperRows += 2 * Math.max(0, layers - k);
      }
      assertEquals(layers * (1 + heads) * 3 + paperRows, rows.size());
      Map<String, Double> v = new HashMap<>();
      for (ProbeResult r : rows) {
        assertEquals(HydraProbe.NAME, r.probe());
        assertTrue(Double.isFinite(r.value()), r.toString());
        v.put(r.layer() + "/" + r.head() + "/" + r.key(), r.value());
      }
      for (int l = 0; l < layers; l++) {
        for (int h = -1; h < heads; h++) {
          String u = l + "/" + h + "/";
          assertEquals(v.get(u + "direct_effect") - v.get(u + "total_effect"), v.get(u + "compensation"), 0.0);
        }
      }
      for (int k : ZeroAblationLens.KS) {
        for (int l = k; l < layers; l++) {
          double diff = v.get(l + "/-1/paper_diff:k=" + k);
          assertEquals(Math.max(-diff, 0), v.get(l + "/-1/paper_compensation:k=" + k), 0.0);
        }
      }
      // A smaller run, twice, gives the same numbers.
      HydraProbe small = new HydraProbe(new HydraProbe.Settings(8, 32, 8, HydraProbe.Inputs.CORPUS,
          HydraProbe.Target.NEXT, HydraProbe.Unit.BLOCK, false, true, 8));
      assertEquals(small.run(context), small.run(context));

      // Corpus prompts are slices of held-out documents laid end to end.
      HydraInputs inputs = new HydraInputs(context, HydraProbe.Inputs.CORPUS);
      int[] prompt = inputs.draw(HydraInputs.PROMPT_PURPOSE, 0, 64);
      assertTrue(foundInHeldOut(corpus, prompt), "prompt 0 is held-out text");
    }
  }

  private static boolean foundInHeldOut(ProbeCorpus corpus, int[] prompt) {
    ProbeCorpus.HeldOut heldOut = corpus.heldOut();
    for (long d = 0; d < corpus.testBaseDocuments(); d++) {
      int[] stream = new int[0];
      for (long k = d; stream.length < 4 * prompt.length; k++) {
        Document doc = heldOut.document(k);
        int[] joined = java.util.Arrays.copyOf(stream, stream.length + doc.length());
        System.arraycopy(doc.tokens(), 0, joined, stream.length, doc.length());
        stream = joined;
      }
      int first = heldOut.document(d).length();
      for (int o = 0; o < first; o++) {
        if (o + prompt.length <= stream.length
            && java.util.Arrays.equals(stream, o, o + prompt.length, prompt, 0, prompt.length)) {
          return true;
        }
      }
    }
    return false;
  }
}
