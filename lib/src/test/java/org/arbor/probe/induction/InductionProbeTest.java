package org.arbor.probe.induction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.arbor.config.ConfigException;
import org.arbor.config.ConfigNode;
import org.arbor.model.LlamaModel;
import org.arbor.model.ModelConfig;
import org.arbor.probe.ProbeContext;
import org.arbor.probe.ProbeResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The induction probe on hand-built models whose answers are known. */
class InductionProbeTest {
  static NDManager manager;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** n tokens drawn without replacement from [0, 16), so each token's earlier occurrence is unique. */
  static InductionProbe.Settings distinct(int n, int kMax) {
    return new InductionProbe.Settings(n, 6, 0, PlantedModels.R, false, kMax, 4, 0.1, 0.1, 0, 4);
  }

  static double value(List<ProbeResult> rows, int layer, int head, String key) {
    return rows.stream().filter(r -> r.layer() == layer && r.head() == head && r.key().equals(key)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + key + " (" + layer + ", " + head + ")")).value();
  }

  @Test
  void plantedInductionCircuitAndDuplicateTokenHead() {
    int n = 8;
    double gain = 1 / PlantedModels.normalised(2); // the previous token's coordinate becomes 1
    PlantedModels planted = new PlantedModels(2, PlantedModels.R)
        .positional(0, 0, 1, 30, 2) // layer 0 head 0: previous-token head
        .copy(0, 0, PlantedModels.R, gain) // ... writing the previous token into [R, 2R)
        .match(1, 0, PlantedModels.R, 40, 3) // layer 1 head 0: query token = key's previous token
        .match(1, 1, 0, 60, 3) // layer 1 head 1: query token = key token ...
        .selfPenalty(1, 1, 15, 3); // ... but not the query's own position
    try (LlamaModel model = planted.build(manager)) {
      List<ProbeResult> rows = new InductionProbe(distinct(n, 5))
          .run(new ProbeContext(model, null, List.of(), 11, manager));
      // The induction head attends from i to i-n+1, except at i = n: position 0 attended to itself
      // in layer 0, so its "previous token" is r_0 too and keys 0 and 1 tie: (n - 1/2) / n.
      assertEquals((n - 0.5) / n, value(rows, 1, 0, "prefix_matching"), 2e-3);
      assertEquals(0, value(rows, 1, 0, "duplicate_token"), 1e-6);
      // The duplicate-token head attends from q to q-n.
      assertEquals(1, value(rows, 1, 1, "duplicate_token"), 1e-6);
      assertEquals(0, value(rows, 1, 1, "prefix_matching"), 1e-6);
      // The previous-token head attends to i-1, neither i-n nor i-n+1 (n > 2).
      assertEquals(0, value(rows, 0, 0, "prefix_matching"), 1e-6);
      assertEquals(0, value(rows, 0, 0, "duplicate_token"), 1e-6);
      for (int k = 1; k <= 5; k++) {
        assertEquals(1, value(rows, -1, -1, "duplicate_token_paper:k=" + k), 1e-6);
      }
      // No corpus and no text windows: no icl rows.
      assertTrue(rows.stream().noneMatch(r -> r.key().startsWith("icl") || r.key().startsWith("loss")));
    }
  }

  @Test
  void copyingScoreOfAHeadThatCopiesAndOfItsNegation() {
    for (double sign : new double[] {1, -1}) {
      // Layer 0 head 0 attends to its own position and adds gain * (token one-hot) of size 2.
      double gain = sign * 2 / PlantedModels.normalised(2);
      PlantedModels planted = new PlantedModels(1, PlantedModels.R).positional(0, 0, 0, 30, 2)
          .copy(0, 0, 0, gain).identityUnembedding(1);
      try (LlamaModel model = planted.build(manager)) {
        // n = 16 distinct tokens of 16: every sequence holds all of them, so S = [0, 16).
        List<ProbeResult> rows = new InductionProbe(distinct(PlantedModels.R, 3))
            .run(new ProbeContext(model, null, List.of(), 5, manager));
        // The forward pass's final residual is (1 + 2 sign) e_t + e_const: the frozen final scale.
        double tokenCoordinate = 1 + 2 * sign;
        double scale = 1 / Math.sqrt((tokenCoordinate * tokenCoordinate + 1) / PlantedModels.D + 1e-6);
        // o_t = gain * normalised(2) e_t = 2 sign e_t; l_t(u) = 2 sign scale [u = t].
        double expected = 2 * sign * scale * (1 - 1.0 / PlantedModels.R);
        assertEquals(expected, value(rows, 0, 0, "copying"), 1e-4 * Math.abs(expected));
        assertEquals(0, value(rows, 0, 1, "copying"), 1e-9); // head 1 has no OV circuit
      }
    }
  }

  /** A bigram model: logit of b after a is kappaRaw if b = a + 1 (mod 8), else 0. */
  static LlamaModel successorModel(double kappaRaw) {
    ModelConfig c = new ModelConfig(8, 8, 1, 2, 2, 32, 10000, 1e-6, 0.02);
    PlantedModels s = new PlantedModels(c);
    for (int a = 0; a < 8; a++) {
      s.set("model.embed_tokens.weight", a, a, Math.sqrt(8)); // RMS 1
      s.set("lm_head.weight", (a + 1) % 8, a, kappaRaw / Math.sqrt(8));
    }
    return s.build(manager);
  }

  @Test
  void iclScoreOnWindowsWhoseLossByPositionIsKnown() {
    double kappaRaw = 3;
    double kappa = kappaRaw / Math.sqrt(1 + 1e-6); // the final RMSNorm's eps
    List<int[]> windows = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      int[] t = new int[20];
      t[0] = w;
      for (int j = 1; j < 20; j++) {
        t[j] = (t[j - 1] + (j <= 10 ? 1 : 3)) % 8; // successors first, then jumps of 3
      }
      windows.add(t);
    }
    try (LlamaModel model = successorModel(kappaRaw)) {
      InductionProbe probe = new InductionProbe(new InductionProbe.Settings(4, 2, -1, -1, true, 3, 10, 0.1, 0.1, 0, 2));
      List<ProbeResult> rows = probe.run(new ProbeContext(model, null, windows, 1, manager));
      // c = round(0.1 * 19) = 2 predictions each: j = 1, 2 are successors, j = 18, 19 jumps.
      double hit = Math.log(Math.exp(kappa) + 7) - kappa;
      double miss = Math.log(Math.exp(kappa) + 7);
      assertEquals(hit, value(rows, -1, -1, "loss_early"), 1e-5);
      assertEquals(miss, value(rows, -1, -1, "loss_late"), 1e-5);
      assertEquals(kappa, value(rows, -1, -1, "icl_score"), 1e-5);
    }
  }

  @Test
  void sameSeedSameRowsOtherSeedOtherRowsNoLeaks() {
    ModelConfig c = new ModelConfig(300, 16, 2, 2, 24, 64, 10000, 1e-6, 0.5);
    List<int[]> windows = List.of(new int[] {5, 7, 9, 11, 5, 7, 9, 11, 5, 7}, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    try (LlamaModel model = LlamaModel.initialise(c, manager, 3)) {
      InductionProbe probe = new InductionProbe(new InductionProbe.Settings(16, 5, -1, -1, true, 4, 2, 0.2, 0.2, 0, 3));
      int modelArrays = model.manager().getManagedArrays().size();
      int runArrays = manager.getManagedArrays().size();
      List<ProbeResult> a = probe.run(new ProbeContext(model, null, windows, 42, manager));
      // Nothing of the run stays behind in the model's manager or the context's.
      assertEquals(modelArrays, model.manager().getManagedArrays().size());
      assertEquals(runArrays, manager.getManagedArrays().size());
      List<ProbeResult> b = probe.run(new ProbeContext(model, null, windows, 42, manager));
      List<ProbeResult> other = probe.run(new ProbeContext(model, null, windows, 43, manager));
      assertEquals(a, b);
      assertEquals(2 * 2 * 3 + 4 + 3, a.size());
      assertNotEquals(value(a, 0, 0, "prefix_matching"), value(other, 0, 0, "prefix_matching"));
      assertEquals(value(a, -1, -1, "icl_score"), value(other, -1, -1, "icl_score")); // windows, not seed
    }
  }

  @Test
  void tokenRangeRules() {
    ModelConfig big = new ModelConfig(1003, 8, 1, 2, 4, 256, 10000, 1e-6, 0.02);
    ModelConfig small = new ModelConfig(67, 8, 1, 2, 4, 256, 10000, 1e-6, 0.02);
    InductionProbe.Settings s = InductionProbe.Settings.defaults();
    try (LlamaModel a = LlamaModel.initialise(big, manager, 1); LlamaModel b = LlamaModel.initialise(small, manager, 1)) {
      assertEquals(List.of(100, 903), box(InductionProbe.tokenRange(s, new ProbeContext(a, null, null, 0, manager))));
      assertEquals(List.of(0, 67), box(InductionProbe.tokenRange(s, new ProbeContext(b, null, null, 0, manager))));
    }
  }

  private static List<Integer> box(int[] a) {
    return List.of(a[0], a[1]);
  }

  @Test
  void settingsFromYamlWithDefaultsAndErrors() {
    InductionProbe p = new InductionProbe(yaml("sequence_length: 32\nsamples: 4\ntoken_min: 3\ntoken_max: 50\n"));
    assertEquals(32, p.settings().sequenceLength());
    assertEquals(10, p.settings().kMax());
    assertEquals(3, p.settings().tokenMin());
    assertEquals(0.1, p.settings().earlyFraction());
    ConfigException typo = assertThrows(ConfigException.class, () -> new InductionProbe(yaml("sampels: 4\n")));
    assertTrue(typo.getMessage().contains("sampels"), typo.getMessage());
    ConfigException k = assertThrows(ConfigException.class, () -> new InductionProbe(yaml("sequence_length: 8\nk_max: 8\n")));
    assertTrue(k.getMessage().contains("k_max"), k.getMessage());
    ConfigException half = assertThrows(ConfigException.class, () -> new InductionProbe(yaml("token_min: 3\n")));
    assertTrue(half.getMessage().contains("token_max"), half.getMessage());
  }

  static ConfigNode yaml(String text) {
    return ConfigNode.parse("sweep.yaml", new StringReader(text));
  }
}
