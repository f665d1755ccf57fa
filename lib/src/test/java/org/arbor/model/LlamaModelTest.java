package org.arbor.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model's numerics against hand-computed values and finite differences. */
class LlamaModelTest {
  static final ModelConfig TINY = new ModelConfig(11, 8, 2, 2, 12, 16, 10000, 1e-6, 0.3);
  static NDManager manager;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  private static NDArray ids(NDManager m, int[] tokens) {
    return m.create(tokens, new Shape(1, tokens.length));
  }

  @Test
  void ropeRotatesPairsByPositionTimesFrequency() {
    // Head dim 4: pairs (0, 2) and (1, 3) rotate by pos * theta^(-0/4) and pos * theta^(-2/4).
    ModelConfig c = new ModelConfig(5, 8, 1, 2, 4, 8, 10000, 1e-6, 0.02);
    try (LlamaModel model = LlamaModel.initialise(c, manager, 1); NDManager m = manager.newSubManager()) {
      float[] x = {0.3f, -1.1f, 0.7f, 2.0f};
      int pos = 3;
      NDArray q = m.create(new float[4 * 4], new Shape(1, 1, 4, 4));
      for (int p = 0; p < 4; p++) {
        for (int i = 0; i < 4; i++) {
          q.set(new ai.djl.ndarray.index.NDIndex(0, 0, p, i), x[i]);
        }
      }
      float[] out = LlamaModel.values(model.applyRopeForTest(q, 4).get(0, 0, pos));
      for (int i = 0; i < 2; i++) {
        double angle = pos * Math.pow(10000, -2.0 * i / 4);
        double a = x[i];
        double b = x[i + 2];
        assertEquals(a * Math.cos(angle) - b * Math.sin(angle), out[i], 1e-5);
        assertEquals(b * Math.cos(angle) + a * Math.sin(angle), out[i + 2], 1e-5);
      }
    }
  }

  @Test
  void laterTokensNeverChangeEarlierLogits() {
    try (LlamaModel model = LlamaModel.initialise(TINY, manager, 2); NDManager m = manager.newSubManager()) {
      float[] a = LlamaModel.values(model.forward(ids(m, new int[] {1, 2, 3, 4, 5, 6}), Hooks.NONE));
      float[] b = LlamaModel.values(model.forward(ids(m, new int[] {1, 2, 3, 9, 0, 7}), Hooks.NONE));
      int v = TINY.vocabSize();
      for (int i = 0; i < 3 * v; i++) {
        assertEquals(a[i], b[i], 0f, "position " + i / v);
      }
      boolean changed = false;
      for (int i = 3 * v; i < 6 * v; i++) {
        changed |= a[i] != b[i];
      }
      assertTrue(changed);
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    try (LlamaModel model = LlamaModel.initialise(TINY, manager, 3); NDManager m = manager.newSubManager()) {
      NDArray tokens = ids(m, new int[] {1, 5, 2, 7, 3, 3, 9, 0});
      for (NDArray p : model.parameters().values()) {
        p.setRequiresGradient(true);
      }
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(LlamaModel.loss(model.forward(tokens, Hooks.NONE), tokens, null));
      }
      String[] names = {"model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight",
          "model.layers.1.mlp.down_proj.weight", "model.layers.0.input_layernorm.weight", "model.norm.weight",
          "lm_head.weight", "model.layers.1.self_attn.o_proj.weight"};
      double eps = 1e-2;
      for (String name : names) {
        NDArray p = model.parameter(name);
        float[] grad = LlamaModel.values(p.getGradient());
        float[] w = LlamaModel.values(p);
        int best = 0;
        for (int i = 0; i < grad.length; i++) {
          best = Math.abs(grad[i]) > Math.abs(grad[best]) ? i : best; // a coordinate with signal
        }
        for (int i : new int[] {best, grad.length / 3}) {
          double plus = lossWith(model, p, w, i, w[i] + eps, tokens);
          double minus = lossWith(model, p, w, i, w[i] - eps, tokens);
          double numeric = (plus - minus) / (2 * eps);
          assertEquals(numeric, grad[i], 2e-3 + 0.02 * Math.abs(numeric), name + "[" + i + "]");
        }
        p.set(w);
      }
    }
  }

  private static double lossWith(LlamaModel model, NDArray p, float[] w, int i, double value, NDArray tokens) {
    float[] changed = w.clone();
    changed[i] = (float) value;
    p.set(changed);
    try (NDManager m = manager.newSubManager()) {
      NDArray t = tokens.duplicate();
      t.attach(m);
      return LlamaModel.loss(model.forward(t, Hooks.NONE), t, null).getFloat();
    }
  }

  @Test
  void headResultsSumToTheAttentionOutputAndWritersReplaceValues() {
    try (LlamaModel model = LlamaModel.initialise(TINY, manager, 4); NDManager m = manager.newSubManager()) {
      NDArray t = ids(m, new int[] {4, 1, 8, 2});
      Hooks plain = new Hooks().read("blocks.1.attn_out").read("logits");
      model.forward(t, plain);
      Hooks split = new Hooks().read("blocks.1.attn.head_result").read("blocks.1.attn_out").read("blocks.0.attn.pattern");
      model.forward(t, split);
      assertArrayEquals(LlamaModel.values(plain.get("blocks.1.attn_out")),
          LlamaModel.values(split.get("blocks.1.attn.head_result").sum(new int[] {2})), 1e-5f);
      assertArrayEquals(LlamaModel.values(plain.get("blocks.1.attn_out")), LlamaModel.values(split.get("blocks.1.attn_out")), 1e-5f);
      float[] pattern = LlamaModel.values(split.get("blocks.0.attn.pattern")); // [1, H, 4, 4]: rows sum to 1, causal
      for (int row = 0; row < 2 * 4; row++) {
        double sum = 0;
        for (int k = 0; k < 4; k++) {
          sum += pattern[row * 4 + k];
          if (k > row % 4) {
            assertEquals(0f, pattern[row * 4 + k]);
          }
        }
        assertEquals(1.0, sum, 1e-5);
      }
      // Zeroing block 1's attention through a writer equals the logits of a model without it.
      Hooks ablate = new Hooks().write("blocks.1.attn_out", a -> a.zerosLike()).read("logits");
      model.forward(t, ablate);
      float[] ablated = LlamaModel.values(ablate.get("logits"));
      for (int k = 0; k < 4; k++) {
        model.parameter("model.layers.1.self_attn.o_proj.weight").set(new float[64]);
      }
      Hooks zeroed = new Hooks().read("logits");
      model.forward(t, zeroed);
      assertArrayEquals(LlamaModel.values(zeroed.get("logits")), ablated, 1e-6f);
    }
  }

  @Test
  void gradientsStayFiniteWhenAttentionSaturates() {
    // Huge query/key weights push the scores to +-1e6; masked positions must still give finite
    // gradients.
    try (LlamaModel model = LlamaModel.initialise(TINY, manager, 6); NDManager m = manager.newSubManager()) {
      for (String w : new String[] {"model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.k_proj.weight"}) {
        float[] v = LlamaModel.values(model.parameter(w));
        for (int i = 0; i < v.length; i++) {
          v[i] *= 3000;
        }
        model.parameter(w).set(v);
      }
      NDArray tokens = ids(m, new int[] {1, 5, 2, 7, 3, 3, 9, 0, 4, 4, 6, 8});
      for (NDArray p : model.parameters().values()) {
        p.setRequiresGradient(true);
      }
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(LlamaModel.loss(model.forward(tokens, Hooks.NONE), tokens, null));
      }
      for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
        for (float g : LlamaModel.values(e.getValue().getGradient())) {
          assertTrue(Float.isFinite(g), e.getKey() + " has a non-finite gradient");
        }
      }
    }
  }

  @Test
  void gradientsAreBitIdenticalFromRunToRun() {
    // Many repeats of few tokens: the embedding's backward must not depend on accumulation order.
    ModelConfig c = new ModelConfig(1003, 32, 1, 2, 64, 256, 10000, 1e-6, 0.02);
    int[] tokens = new int[4 * 256];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = (i * 7) % 5;
    }
    float[][] grads = new float[2][];
    for (int run = 0; run < 2; run++) {
      try (LlamaModel model = LlamaModel.initialise(c, manager, 8); NDManager m = manager.newSubManager()) {
        NDArray t = m.create(tokens, new Shape(4, 256));
        for (NDArray p : model.parameters().values()) {
          p.setRequiresGradient(true);
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(LlamaModel.loss(model.forward(t, Hooks.NONE), t, null));
        }
        grads[run] = LlamaModel.values(model.parameter("model.embed_tokens.weight").getGradient());
      }
    }
    assertArrayEquals(grads[0], grads[1], 0f);
  }

  @Test
  void saveAndLoadGiveIdenticalLogits(@TempDir Path dir) throws Exception {
    try (LlamaModel model = LlamaModel.initialise(TINY, manager, 5); NDManager m = manager.newSubManager()) {
      Checkpoint.write(dir, model, null);
      try (LlamaModel loaded = Checkpoint.read(dir, manager)) {
        NDArray t = ids(m, new int[] {3, 1, 4, 1, 5, 9, 2, 6});
        assertArrayEquals(LlamaModel.values(model.forward(t, Hooks.NONE)), LlamaModel.values(loaded.forward(t, Hooks.NONE)), 0f);
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
          assertArrayEquals(LlamaModel.values(e.getValue()), LlamaModel.values(loaded.parameter(e.getKey())), 0f, e.getKey());
        }
      }
    }
  }
}
