package org.arbor.probe.hydra;

import static org.arbor.probe.hydra.HandBuiltModels.EPS;
import static org.arbor.probe.hydra.HandBuiltModels.m;
import static org.arbor.probe.hydra.HandBuiltModels.repeated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arbor.config.ConfigException;
import org.arbor.config.ConfigNode;
import org.arbor.model.LlamaModel;
import org.arbor.model.ModelConfig;
import org.arbor.probe.ProbeContext;
import org.arbor.probe.ProbeResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Resample ablation and the paper's zero-ablation lens on hand-built models with known answers. */
class HydraProbeTest {
  static final int T = 6;
  static final int POSITIONS = 3;
  static final double TOL = 1e-4;
  static NDManager manager;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** Results of the resample ablation keyed "layer/head/key". */
  private static Map<String, Double> resample(LlamaModel model, HydraProbe.Unit unit, int[][] prompts, int[][] next,
      int[][] sources) {
    ResampleAblation r = new ResampleAblation(model, unit, true, POSITIONS);
    r.add(manager, prompts, next, sources);
    return byKey(r.results("hydra"));
  }

  private static Map<String, Double> byKey(List<ProbeResult> rows) {
    Map<String, Double> out = new HashMap<>();
    for (ProbeResult row : rows) {
      out.put(row.layer() + "/" + row.head() + "/" + row.key(), row.value());
    }
    return out;
  }

  /** The clean top-1 token when the final residual is 2 u_a + 2 u_{4+a}. */
  private static int topWithFeature(int a) {
    int best = 0;
    for (int y = 1; y < HandBuiltModels.VOCAB; y++) {
      if ((y == a ? 2 : 0) + 2 * m(y, a) > (best == a ? 2 : 0) + 2 * m(best, a)) {
        best = y;
      }
    }
    return best;
  }

  private static void assertEffects(Map<String, Double> got, String unit, double total, double direct) {
    assertEquals(total, got.get(unit + "/total_effect"), TOL, unit + " total_effect");
    assertEquals(direct, got.get(unit + "/direct_effect"), TOL, unit + " direct_effect");
    assertEquals(got.get(unit + "/direct_effect") - got.get(unit + "/total_effect"), got.get(unit + "/compensation"),
        0.0, unit + " compensation = direct - total, exactly");
  }

  @Test
  void cancelledLayerHasZeroTotalEffectAndCompensationEqualToItsDirectEffect() {
    // Block 1's head 0 writes exactly minus the feature block 0 wrote (its input has rms 1, so
    // V.O = -identity on dims 4..7 cancels it): the output never sees block 0's feature.
    int[] a = {0, 2};
    int[] b = {1, 3};
    try (LlamaModel model = new HandBuiltModels(2).writer(0).featureMap(1, -1).build(manager)) {
      Map<String, Double> got = resample(model, HydraProbe.Unit.ATTENTION, repeated(T, a), null, repeated(T, b));
      double sClean = 1 / Math.sqrt(0.5 + EPS); // final residual 2 u_a
      double direct0 = 0;
      double total1 = 0;
      double direct1 = 0;
      for (int i = 0; i < a.length; i++) {
        // Target: the clean top-1 token is a itself (logit 2 sClean, all others 0).
        direct0 += 2 * sClean * (m(a[i], a[i]) - m(a[i], b[i])) / a.length;
        // Ablating block 1 puts back the source's -f(b): final 2u_a + f(a) - f(b), rms^2 = 1.5.
        direct1 += 2 * sClean * (m(a[i], b[i]) - m(a[i], a[i])) / a.length;
        total1 += (2 * sClean - (2 + 2 * m(a[i], a[i]) - 2 * m(a[i], b[i])) / Math.sqrt(1.5 + EPS)) / a.length;
      }
      assertTrue(Math.abs(direct0) > 1, "the test needs a direct effect to compensate");
      assertEffects(got, "0/-1", 0, direct0);
      assertEffects(got, "0/0", 0, direct0);
      assertEffects(got, "0/1", 0, 0);
      assertEquals(direct0, got.get("0/-1/compensation"), TOL);
      assertEffects(got, "1/-1", total1, direct1);
      assertEffects(got, "1/0", total1, direct1);
      assertEffects(got, "1/1", 0, 0);
      // The MLPs write nothing, so the whole block is its attention.
      Map<String, Double> block = resample(model, HydraProbe.Unit.BLOCK, repeated(T, a), null, repeated(T, b));
      assertEffects(block, "0/-1", 0, direct0);
      assertEffects(block, "1/-1", total1, direct1);
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {1.0, 0.5})
  void backupCopyOfALayerCompensatesItsAblation(double gamma) {
    // Block 1 holds a copy of block 0's feature map (from the identity dims) and writes
    // gamma * (feature it derives - feature present): inert in the clean run, it restores a
    // fraction gamma of the feature when block 0 is ablated. gamma = 1: an exact backup.
    int[] a = {0, 2};
    int[] b = {1, 3};
    try (LlamaModel model = new HandBuiltModels(2).writer(0).backup(1, gamma, 4).build(manager)) {
      Map<String, Double> got = resample(model, HydraProbe.Unit.ATTENTION, repeated(T, a), null, repeated(T, b));
      double sClean = 1 / Math.sqrt(1 + EPS); // final 2u_a + f(a), rms 1
      double sAblated = 1 / Math.sqrt((4 + 4 * gamma * gamma + 4 * (1 - gamma) * (1 - gamma)) / 8 + EPS);
      double total = 0;
      double direct = 0;
      for (int i = 0; i < a.length; i++) {
        int t = topWithFeature(a[i]);
        int id = t == a[i] ? 2 : 0;
        double clean = sClean * (id + 2 * m(t, a[i]));
        // Ablated: 2u_a + f(b) + gamma (f(a) - f(b)).
        double ablated = sAblated * (id + 2 * gamma * m(t, a[i]) + 2 * (1 - gamma) * m(t, b[i]));
        total += (clean - ablated) / a.length;
        direct += 2 * sClean * (m(t, a[i]) - m(t, b[i])) / a.length;
      }
      assertEffects(got, "0/-1", total, direct);
      assertEffects(got, "0/0", total, direct);
      assertEffects(got, "1/-1", 0, 0); // the backup writes nothing on the source either
      assertTrue(got.get("0/-1/compensation") > 0.5, "self-repair: " + got.get("0/-1/compensation"));
      if (gamma == 1.0) {
        assertEquals(0, got.get("0/-1/total_effect"), TOL);
        assertEquals(got.get("0/-1/direct_effect"), got.get("0/-1/compensation"), TOL);
      }
    }
  }

  @Test
  void lastLayerWritingStraightToTheOutputHasNoCompensation() {
    int[] a = {0, 2, 3};
    int[] b = {1, 3, 0};
    try (LlamaModel model = new HandBuiltModels(1).writer(0).build(manager)) {
      // Clean and ablated final residuals 2u_a + f(a) and 2u_a + f(b) have one norm: the frozen
      // scale is the real one, so the total effect is the direct effect.
      double s = 1 / Math.sqrt(1 + EPS);
      Map<String, Double> got = resample(model, HydraProbe.Unit.ATTENTION, repeated(T, a), null, repeated(T, b));
      double direct = 0;
      for (int i = 0; i < a.length; i++) {
        int t = topWithFeature(a[i]);
        direct += 2 * s * (m(t, a[i]) - m(t, b[i])) / a.length;
      }
      assertTrue(Math.abs(direct) > 0.5);
      assertEffects(got, "0/-1", direct, direct);
      assertEffects(got, "0/0", direct, direct);
      assertEquals(0, got.get("0/-1/compensation"), 1e-5);
      // target 'next': the given next token (3 everywhere) instead of the top-1.
      int[][] next = repeated(T, 3, 3, 3);
      Map<String, Double> nextGot = resample(model, HydraProbe.Unit.ATTENTION, repeated(T, a), next, repeated(T, b));
      double directNext = 0;
      for (int i = 0; i < a.length; i++) {
        directNext += 2 * s * (m(3, a[i]) - m(3, b[i])) / a.length;
      }
      assertEffects(nextGot, "0/-1", directNext, directNext);
    }
  }

  @Test
  void paperLensZeroesTheWholeBlockAndReadsTheLastTokensLogit() {
    // Block 0: attention writes f(a), MLP writes m0 onto dim 7; block 1: an exact backup of the
    // feature (dims 4..6); block 2: nothing. Zeroing block 0 makes block 1 write the feature from
    // an input of rms sqrt(0.5), i.e. 2 / sqrt(0.5) = 2.83 > 2: overcompensation, a negative diff.
    double delta = 0.25;
    HandBuiltModels w = new HandBuiltModels(3).writer(0).backup(1, 1.0, 3);
    for (int i = 0; i < 3; i++) {
      w.set("model.layers.0.mlp.gate_proj.weight", 0, i, 1).set("model.layers.0.mlp.up_proj.weight", 0, i, 1);
    }
    w.set("model.layers.0.mlp.down_proj.weight", 7, 0, delta);
    int[] a = {0, 2};
    try (LlamaModel model = w.build(manager)) {
      ZeroAblationLens lens = new ZeroAblationLens(model);
      lens.add(manager, repeated(T, a));
      Map<String, Double> got = byKey(lens.results("hydra"));
      assertEquals(6, got.size(), "k=1: layers 1 and 2; k=2: layer 2; two keys each");
      double g = 2 / Math.sqrt(1 + EPS); // the MLP's normed input: 2u_a + f(a) has rms 1
      double m0 = delta * g * g / (1 + Math.exp(-g));
      double diff = 0;
      for (int x : a) {
        // The unembedding row of x has m(x, 3) on dim 7.
        diff += (2 * m(x, x) + m0 * m(x, 3) - 2 * m(x, x) / Math.sqrt(0.5 + EPS)) / a.length;
      }
      assertTrue(diff < -1, "the case is built to compensate: " + diff);
      assertEquals(diff, got.get("1/-1/paper_diff:k=1"), TOL);
      assertEquals(-diff, got.get("1/-1/paper_compensation:k=1"), TOL);
      assertEquals(diff, got.get("2/-1/paper_diff:k=2"), TOL);
      assertEquals(-diff, got.get("2/-1/paper_compensation:k=2"), TOL);
      // Block 1 writes nothing in the clean run, so zeroing it changes nothing at layer 2.
      // (up to the eps of RMSNorm: f(a) is 2 (1 - 1e-6), and the backup writes the difference)
      assertEquals(0, got.get("2/-1/paper_diff:k=1"), 1e-5);
      assertEquals(0, got.get("2/-1/paper_compensation:k=1"), 1e-5);
    }
  }

  @Test
  void paperLensWithoutCompensationReportsZero() {
    // No backup: zeroing block 0 removes f(a) from layer 1's output, diff = 2 M[a][a] > 0.
    try (LlamaModel model = new HandBuiltModels(2).writer(0).build(manager)) {
      ZeroAblationLens lens = new ZeroAblationLens(model);
      lens.add(manager, repeated(T, 0));
      Map<String, Double> got = byKey(lens.results("hydra"));
      assertEquals(2 * m(0, 0), got.get("1/-1/paper_diff:k=1"), TOL);
      assertEquals(0.0, got.get("1/-1/paper_compensation:k=1"), 0.0);
      assertEquals(2, got.size());
    }
  }

  private static ProbeContext randomContext(LlamaModel model, long seed) {
    return new ProbeContext(model, null, List.of(), seed, manager);
  }

  @Test
  void sameSeedSameResultsAndBatchingDoesNotMatter() {
    ModelConfig c = new ModelConfig(11, 8, 3, 2, 12, 16, 10000, 1e-6, 0.3);
    HydraProbe.Settings s = new HydraProbe.Settings(5, 8, 3, HydraProbe.Inputs.RANDOM, HydraProbe.Target.TOP1,
        HydraProbe.Unit.BLOCK, true, true, 2);
    try (LlamaModel model = LlamaModel.initialise(c, manager, 7)) {
      List<ProbeResult> first = new HydraProbe(s).run(randomContext(model, 3));
      List<ProbeResult> again = new HydraProbe(s).run(randomContext(model, 3));
      assertEquals(first, again);
      // 3 layers x (layer + 2 heads) x 3 keys, and paper rows for k=1 (layers 1, 2), k=2 (layer 2).
      assertEquals(3 * 3 * 3 + 3 * 2, first.size());
      assertNotEquals(first, new HydraProbe(s).run(randomContext(model, 4)));
      HydraProbe.Settings oneBatch = new HydraProbe.Settings(5, 8, 3, HydraProbe.Inputs.RANDOM,
          HydraProbe.Target.TOP1, HydraProbe.Unit.BLOCK, true, true, 5);
      List<ProbeResult> batched = new HydraProbe(oneBatch).run(randomContext(model, 3));
      for (int i = 0; i < first.size(); i++) {
        assertEquals(first.get(i).key(), batched.get(i).key());
        assertEquals(first.get(i).value(), batched.get(i).value(), 1e-5, first.get(i).toString());
      }
      boolean nonZero = first.stream().anyMatch(r -> r.key().equals("total_effect") && Math.abs(r.value()) > 1e-3);
      assertTrue(nonZero, "a random model's layers have effects");
    }
  }

  @Test
  void settingsFromYamlWithClearErrors() {
    HydraProbe p = new HydraProbe(yaml("prompts: 8\nlength: 16\npositions: 4\ninputs: random\nunit: block\n"));
    assertEquals(new HydraProbe.Settings(8, 16, 4, HydraProbe.Inputs.RANDOM, HydraProbe.Target.TOP1,
        HydraProbe.Unit.BLOCK, true, true, 16), p.settings());
    assertEquals(HydraProbe.Settings.defaults(), new HydraProbe(yaml("{}")).settings());
    ConfigException typo = assertThrows(ConfigException.class, () -> new HydraProbe(yaml("prompt: 8\n")));
    assertTrue(typo.getMessage().contains("prompt"), typo.getMessage());
    ConfigException unit = assertThrows(ConfigException.class, () -> new HydraProbe(yaml("unit: mlp\n")));
    assertTrue(unit.getMessage().contains("unit") && unit.getMessage().contains("mlp"), unit.getMessage());
    assertThrows(ConfigException.class, () -> new HydraProbe(yaml("length: 8\npositions: 9\n")));
    assertThrows(ConfigException.class, () -> new HydraProbe(yaml("inputs: random\ntarget: next\n")));
    try (LlamaModel model = LlamaModel.initialise(new ModelConfig(11, 8, 1, 2, 12, 16, 10000, 1e-6, 0.3), manager, 1)) {
      IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
          () -> new HydraProbe(new HydraProbe.Settings(4, 8, 2, HydraProbe.Inputs.CORPUS, HydraProbe.Target.TOP1,
              HydraProbe.Unit.ATTENTION, true, true, 2)).run(randomContext(model, 1)));
      assertTrue(none.getMessage().contains("inputs"), none.getMessage());
    }
  }

  private static ConfigNode yaml(String text) {
    return ConfigNode.parse("probe.yaml", new StringReader(text));
  }
}
