package org.arbor.probe.fv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arbor.config.ConfigException;
import org.arbor.config.ConfigNode;
import org.arbor.model.Hooks;
import org.arbor.model.LlamaModel;
import org.arbor.model.ModelConfig;
import org.arbor.probe.ProbeContext;
import org.arbor.probe.ProbeResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The probe's measures against values computed by hand from the model's weights. */
class FunctionVectorProbeTest {
  // One block, two heads: with a zero MLP the residual after the block is embed + the two heads'
  // results, so every intervention at the last position has a closed form through the final norm.
  static final ModelConfig ONE_BLOCK = new ModelConfig(20, 8, 1, 2, 4, 64, 10000, 1e-6, 0.5);
  static final ModelConfig TWO_BLOCKS = new ModelConfig(20, 8, 2, 2, 6, 64, 10000, 1e-6, 0.5);
  static final TaskVocabulary RANGE = TaskVocabulary.ofRange(0, 15, 16);
  static NDManager manager;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** A random model with some parameters' entries zeroed: zero(name, flat index) says which. */
  static LlamaModel model(ModelConfig c, long seed, java.util.function.BiPredicate<String, Integer> zero) {
    try (LlamaModel random = LlamaModel.initialise(c, manager, seed); NDManager m = manager.newSubManager()) {
      Map<String, NDArray> tensors = new HashMap<>();
      for (Map.Entry<String, NDArray> e : random.parameters().entrySet()) {
        float[] v = e.getValue().toFloatArray();
        for (int i = 0; i < v.length; i++) {
          if (zero.test(e.getKey(), i)) {
            v[i] = 0f;
          }
        }
        tensors.put(e.getKey(), m.create(v, e.getValue().getShape()));
      }
      return LlamaModel.of(c, manager, tensors, "test");
    }
  }

  /** o_proj [D, D]: columns h*dh .. (h+1)*dh-1 carry head h. */
  static boolean headColumn(ModelConfig c, int head, int index) {
    return (index % c.hidden()) / c.headDim() == head;
  }

  static FunctionVectorProbe probe(int prompts, int demonstrations, int topK, int batch) {
    return new FunctionVectorProbe(new FunctionVectorProbe.Settings(null, prompts, demonstrations, topK, batch, 2, null, -1));
  }

  /** P(answer) from a final residual x through the final RMSNorm and the unembedding, in double. */
  static double probability(LlamaModel model, double[] x, int[] answer) {
    float[] w = model.parameter("model.norm.weight").toFloatArray();
    float[] u = model.unembedding().toFloatArray();
    int d = x.length;
    int v = u.length / d;
    double ms = 0;
    for (double e : x) {
      ms += e * e / d;
    }
    double scale = 1 / Math.sqrt(ms + model.config().rmsNormEps());
    double[] logits = new double[v];
    double max = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < v; t++) {
      for (int k = 0; k < d; k++) {
        logits[t] += u[t * d + k] * x[k] * scale * w[k];
      }
      max = Math.max(max, logits[t]);
    }
    double z = 0;
    double mass = 0;
    for (int t = 0; t < v; t++) {
      double p = Math.exp(logits[t] - max);
      z += p;
      mass += java.util.Arrays.binarySearch(answer, t) >= 0 ? p : 0;
    }
    return mass / z;
  }

  /** Values at the last position of one prompt's pass: named points, each [..., D] flattened. */
  static Map<String, float[]> last(LlamaModel model, Prompt p, String... points) {
    Hooks hooks = new Hooks();
    for (String s : points) {
      hooks.read(s);
    }
    Map<String, float[]> out = new HashMap<>();
    Readout.run(model, manager, List.of(p), hooks, h -> {
      for (String s : points) {
        out.put(s, Readout.lastPosition(h, s));
      }
    });
    return out;
  }

  static double[] plus(double[] a, float[] b, int from, double sign) {
    double[] out = a.clone();
    for (int k = 0; k < a.length; k++) {
      out[k] += sign * b[from + k];
    }
    return out;
  }

  static double[] toDouble(float[] a) {
    double[] out = new double[a.length];
    for (int k = 0; k < a.length; k++) {
      out[k] = a[k];
    }
    return out;
  }

  @Test
  void defaultRangeStaysOnTheTokenizersOrdinaryIds() {
    // No tokenizer known: a tenth of the vocabulary to its end.
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {12, 127}, FunctionVectorProbe.defaultRange(128, null));
    // Like OLMo-1B (50304 rows, 50280 tokens, added tokens from 50254): stop before the first added id.
    java.util.BitSet ordinary = new java.util.BitSet();
    ordinary.set(2, 50254);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {5030, 50253},
        FunctionVectorProbe.defaultRange(50304, ordinary));
    // An added token inside: the range ends before it; one right at the start is skipped.
    ordinary.clear(20000);
    ordinary.clear(5030);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {5031, 19999},
        FunctionVectorProbe.defaultRange(50304, ordinary));
    java.util.BitSet none = new java.util.BitSet();
    none.set(0, 10);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> FunctionVectorProbe.defaultRange(128, none));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("range"), e.getMessage());
  }

  @Test
  void cieFunctionVectorAndPatchingMatchTheClosedForm() {
    int d = ONE_BLOCK.hidden();
    // Zero MLP; head 1 writes nothing (its o_proj columns are zero).
    try (LlamaModel model = model(ONE_BLOCK, 3, (name, i) -> name.contains("down_proj")
        || name.contains("o_proj") && headColumn(ONE_BLOCK, 1, i))) {
      int n = 10;
      long seed = 42;
      IclTask task = new RecallTask(2);
      FunctionVectorProbe.TaskMeasurement m = probe(n, 3, 2, 4).measure(model, manager, task, RANGE, seed);
      Prompts prompts = new Prompts(task, RANGE, seed, 3);
      String head = FunctionVectorProbe.headResult(0);
      String post = FunctionVectorProbe.residPost(0);
      String attn = FunctionVectorProbe.attnOut(0);

      double[] mean0 = new double[d];
      for (Prompt p : prompts.inContext(FunctionVectorProbe.MEAN_PROMPTS, n)) {
        float[] h = last(model, p, head).get(head); // [1, H, D]: head 0 first
        for (int k = 0; k < d; k++) {
          mean0[k] += h[k] / n;
        }
      }
      double cie0 = 0;
      for (Prompt p : prompts.shuffled(FunctionVectorProbe.CIE_PROMPTS, n)) {
        Map<String, float[]> v = last(model, p, head, post);
        double[] x = toDouble(v.get(post));
        double[] patched = plus(plus(x, v.get(head), 0, -1), toFloatArray(mean0), 0, 1);
        cie0 += (probability(model, patched, p.answer()) - probability(model, x, p.answer())) / n;
      }
      assertEquals(cie0, m.cie()[0][0], 2e-6, "CIE of the head that writes");
      assertTrue(Math.abs(cie0) > 1e-4, "the example is not degenerate: " + cie0);
      assertEquals(0.0, m.cie()[0][1], 0.0, "a head with zero o_proj columns has no effect at all");

      // top_k = 2: both heads, ranked by CIE (head 1's is exactly 0); the vector is head 0's mean.
      int[][] ranked = m.cie()[0][0] > 0 ? new int[][] {{0, 0}, {0, 1}} : new int[][] {{0, 1}, {0, 0}};
      assertArrayEquals(ranked, m.functionVectorHeads());
      double[] fv = mean0;
      for (int k = 0; k < d; k++) {
        assertEquals(fv[k], m.functionVector()[k], 1e-6);
      }
      double gain = 0;
      double accuracy = 0;
      double zeroShot = 0;
      double patchGain = 0;
      List<Prompt> zero = prompts.zeroShot(FunctionVectorProbe.ZERO_SHOT_PROMPTS, n);
      List<Prompt> sources = prompts.zeroShot(FunctionVectorProbe.SOURCE_PROMPTS, n);
      for (int i = 0; i < n; i++) {
        Prompt p = zero.get(i);
        Map<String, float[]> v = last(model, p, post, attn);
        double[] x = toDouble(v.get(post));
        double base = probability(model, x, p.answer());
        double[] added = plus(x, toFloatArray(fv), 0, 1);
        gain += (probability(model, added, p.answer()) - base) / n;
        accuracy += top1(model, added, p.answer()) ? 1.0 / n : 0;
        zeroShot += top1(model, x, p.answer()) ? 1.0 / n : 0;
        float[] source = last(model, sources.get(i), attn).get(attn);
        double[] patched = plus(plus(x, v.get(attn), 0, -1), source, 0, 1);
        patchGain += (probability(model, patched, p.answer()) - base) / n;
      }
      assertEquals(gain, m.fvGain()[0], 2e-6);
      assertTrue(Math.abs(gain) > 1e-4, "the example is not degenerate: " + gain);
      assertEquals(accuracy, m.fvAccuracy()[0], 1e-12);
      assertEquals(zeroShot, m.zeroShotAccuracy(), 1e-12);
      assertEquals(patchGain, m.paperPatchGain()[0], 2e-6);
      assertTrue(Math.abs(patchGain) > 1e-4, "the example is not degenerate: " + patchGain);
    }
  }

  static float[] toFloatArray(double[] a) {
    float[] out = new float[a.length];
    for (int k = 0; k < a.length; k++) {
      out[k] = (float) a[k];
    }
    return out;
  }

  static boolean top1(LlamaModel model, double[] x, int[] answer) {
    // The top token is the one whose own probability is largest.
    int v = model.vocabSize();
    int best = 0;
    double bestP = -1;
    for (int t = 0; t < v; t++) {
      double p = probability(model, x, new int[] {t});
      if (p > bestP) {
        bestP = p;
        best = t;
      }
    }
    return java.util.Arrays.binarySearch(answer, best) >= 0;
  }

  @Test
  void addingAVectorAfterTheLastBlockShiftsLogitsByItsDirectEffect() {
    try (LlamaModel model = LlamaModel.initialise(TWO_BLOCKS, manager, 5); NDManager m = manager.newSubManager()) {
      int[] tokens = {16, 3, 7, 11, 2, 9};
      float[] v = {0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f, 0f, -2f};
      NDArray ids = m.create(tokens, new Shape(1, tokens.length));
      Hooks clean = new Hooks().read("final_norm.scale");
      float[] before = model.forward(ids, clean).toFloatArray();
      float[] scale = clean.get("final_norm.scale").toFloatArray();
      // Freeze the final norm's scale at its clean value: the change is then linear in v.
      Hooks added = new Hooks().write(FunctionVectorProbe.residPost(1), LastPosition.add(v))
          .write("final_norm.scale", s -> s.getManager().create(scale, s.getShape()));
      float[] after = model.forward(ids, added).toFloatArray();
      int vocab = TWO_BLOCKS.vocabSize();
      int t = tokens.length;
      for (int i = 0; i < (t - 1) * vocab; i++) {
        assertEquals(before[i], after[i], 0f, "earlier positions are untouched");
      }
      float[] u = model.unembedding().toFloatArray();
      float[] w = model.parameter("model.norm.weight").toFloatArray();
      int d = TWO_BLOCKS.hidden();
      for (int tok = 0; tok < vocab; tok++) {
        double direct = 0;
        for (int k = 0; k < d; k++) {
          direct += u[tok * d + k] * v[k] * scale[t - 1] * w[k];
        }
        assertEquals(direct, after[(t - 1) * vocab + tok] - before[(t - 1) * vocab + tok], 2e-5, "token " + tok);
      }
    }
  }

  @Test
  void aFunctionVectorOfNoHeadsGainsNothing() {
    // Every o_proj zero: no head writes anything, so every CIE, gain and patch is exactly 0.
    try (LlamaModel model = model(TWO_BLOCKS, 7, (name, i) -> name.contains("o_proj"))) {
      FunctionVectorProbe.TaskMeasurement m = probe(6, 2, FunctionVectorProbe.Settings.SCALED, 4)
          .measure(model, manager, new RecallTask(2), RANGE, 1);
      for (double[] layer : m.cie()) {
        assertArrayEquals(new double[] {0, 0}, layer, 0.0);
      }
      assertArrayEquals(new float[8], m.functionVector(), 0f);
      assertArrayEquals(new double[] {0, 0}, m.fvGain(), 0.0);
      assertArrayEquals(new double[] {0, 0}, m.paperPatchGain(), 0.0);
      assertArrayEquals(new double[] {m.zeroShotAccuracy(), m.zeroShotAccuracy()}, m.fvAccuracy(), 0.0);
    }
    // top_k = 0 on a model whose heads do write: the function vector is empty, the gain exactly 0.
    try (LlamaModel model = LlamaModel.initialise(TWO_BLOCKS, manager, 8)) {
      FunctionVectorProbe.TaskMeasurement m = probe(6, 2, 0, 4).measure(model, manager, new RecallTask(2), RANGE, 1);
      assertEquals(0, m.functionVectorHeads().length);
      assertArrayEquals(new double[] {0, 0}, m.fvGain(), 0.0);
      assertTrue(m.cie()[0][0] != 0 || m.cie()[1][1] != 0, "heads do write");
    }
  }

  @Test
  void sameSeedSameRowsAndTheDocumentedKeys() {
    try (LlamaModel model = LlamaModel.initialise(TWO_BLOCKS, manager, 9)) {
      FunctionVectorProbe p = new FunctionVectorProbe(settings("{prompts: 3, demonstrations: 1, batch_size: 2, range: [0, 15]}"));
      List<ProbeResult> a = p.run(new ProbeContext(model, null, null, 17, manager));
      List<ProbeResult> b = p.run(new ProbeContext(model, null, null, 17, manager));
      List<ProbeResult> c = p.run(new ProbeContext(model, null, null, 18, manager));
      assertEquals(a, b);
      assertNotEquals(a, c);
      // Without a grammar only recall runs: 2x2 CIE, 2 gains, 2 accuracies, 1 zero-shot, 2 patches.
      assertEquals(4 + 2 + 2 + 1 + 2, a.size());
      assertEquals(new ProbeResult("function_vector", 1, 1, "cie:task=recall", a.get(3).value()), a.get(3));
      assertEquals("zero_shot_accuracy:task=recall", a.get(8).key());
      assertEquals(-1, a.get(8).layer());
      assertEquals("paper_patch_gain:task=recall", a.get(10).key());
      assertEquals(1, a.get(10).layer());
    }
  }

  @Test
  void defaultTopKScalesWithTheModel() {
    assertEquals(2, FunctionVectorProbe.defaultTopK(2, 4), "quickstart: 8 heads");
    assertEquals(10, FunctionVectorProbe.defaultTopK(16, 4), "the paper's model: 64 heads");
    assertEquals(1, FunctionVectorProbe.defaultTopK(1, 2));
  }

  @Test
  void badSettingsNameTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> new FunctionVectorProbe(settings("{tasks: [antonym]}")));
    assertTrue(e.getMessage().contains("tasks") && e.getMessage().contains("antonym"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> new FunctionVectorProbe(settings("{top_k: 3, heads: 2}")));
    assertTrue(e.getMessage().contains("heads"), e.getMessage());
    try (LlamaModel model = LlamaModel.initialise(TWO_BLOCKS, manager, 9)) {
      FunctionVectorProbe p = new FunctionVectorProbe(settings("{tasks: [paper], range: [0, 15]}"));
      IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
          () -> p.run(new ProbeContext(model, null, null, 1, manager)));
      assertTrue(g.getMessage().contains("'tasks'") && g.getMessage().contains("paper"), g.getMessage());
      FunctionVectorProbe longPrompts = new FunctionVectorProbe(settings("{demonstrations: 10, range: [0, 15]}"));
      g = assertThrows(IllegalArgumentException.class, () -> longPrompts.run(new ProbeContext(model, null, null, 1, manager)));
      assertTrue(g.getMessage().contains("'demonstrations'"), g.getMessage());
    }
  }

  static ConfigNode settings(String yaml) {
    return ConfigNode.parse("sweep.yaml#probes.function_vector", new StringReader(yaml));
  }
}
