package org.arbor.olmo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.arbor.model.Hooks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hook points of OlmoModel are Llama's and obey the identities of the residual stream. */
class OlmoModelTest {
  static final OlmoConfig C = new OlmoConfig(30, 16, 2, 4, 20, 16, 10000, 0.9, true);
  static final int[] TOKENS = {3, 7, 7, 29, 0, 12, 3, 7, 5, 18};
  @TempDir static Path dir;

  @BeforeAll
  static void write() throws Exception {
    RandomOlmo.write(dir, C, "F32", 0.4, 11);
  }

  private static double maxDiff(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }

  @Test
  void residualStreamIdentitiesHold() throws Exception {
    try (NDManager m = NDManager.newBaseManager(); OlmoModel model = OlmoCheckpoint.read(dir, m);
        NDManager pass = m.newSubManager()) {
      Hooks h = new Hooks();
      for (String p : new String[] {"embed", "final_norm.scale", "logits"}) {
        h.read(p);
      }
      for (int l = 0; l < C.layers(); l++) {
        for (String p : new String[] {"resid_pre", "attn.pattern", "attn.head_result", "attn_out", "resid_mid", "mlp_out", "resid_post"}) {
          h.read("blocks." + l + "." + p);
        }
      }
      NDArray logits = model.forward(pass.create(TOKENS, new Shape(1, TOKENS.length)), h);
      assertEquals(new Shape(1, TOKENS.length, C.vocabSize()), logits.getShape());
      assertSame(logits, h.get("logits"));
      assertTrue(maxDiff(h.get("embed"), h.get("blocks.0.resid_pre")) == 0);
      for (int l = 0; l < C.layers(); l++) {
        String b = "blocks." + l + ".";
        assertFalse(h.get(b + "resid_pre").isReleased(), "values handed to hooks outlive their block");
        assertTrue(maxDiff(h.get(b + "resid_pre").add(h.get(b + "attn_out")), h.get(b + "resid_mid")) < 1e-6);
        assertTrue(maxDiff(h.get(b + "resid_mid").add(h.get(b + "mlp_out")), h.get(b + "resid_post")) < 1e-6);
        assertTrue(maxDiff(h.get(b + "attn.head_result").sum(new int[] {2}), h.get(b + "attn_out")) < 1e-6);
        NDArray pattern = h.get(b + "attn.pattern"); // [1, H, T, T]: rows sum to 1, nothing above the diagonal
        assertTrue(maxDiff(pattern.sum(new int[] {-1}), pass.ones(new Shape(1, C.heads(), TOKENS.length))) < 1e-6);
        float[] p = pattern.toFloatArray();
        int t = TOKENS.length;
        for (int i = 0; i < t; i++) {
          for (int j = i + 1; j < t; j++) {
            assertEquals(0f, p[i * t + j]);
          }
        }
      }
      // final_norm.scale is 1/std of the last residual, and the read-out through finalNorm gives the logits.
      NDArray last = h.get("blocks." + (C.layers() - 1) + ".resid_post");
      float[] x = last.toFloatArray();
      float[] scale = h.get("final_norm.scale").toFloatArray();
      for (int pos = 0; pos < TOKENS.length; pos++) {
        double mean = 0;
        double var = 0;
        for (int d = 0; d < C.hidden(); d++) {
          mean += x[pos * C.hidden() + d] / C.hidden();
        }
        for (int d = 0; d < C.hidden(); d++) {
          var += Math.pow(x[pos * C.hidden() + d] - mean, 2) / C.hidden();
        }
        assertEquals(1 / Math.sqrt(var + 1e-5), scale[pos], 1e-4 * scale[pos]);
      }
      NDArray readOut = model.finalNorm(last, h.get("final_norm.scale")).matMul(model.unembedding().transpose());
      assertTrue(maxDiff(readOut, logits) < 1e-5);
    }
  }

  @Test
  void withEveryBlockOutputZeroedTheLogitsAreTheNormalisedEmbeddingsReadOut() throws Exception {
    try (NDManager m = NDManager.newBaseManager(); OlmoModel model = OlmoCheckpoint.read(dir, m);
        NDManager pass = m.newSubManager()) {
      Hooks h = new Hooks();
      for (int l = 0; l < C.layers(); l++) {
        h.write("blocks." + l + ".attn_out", v -> v.zerosLike());
        h.write("blocks." + l + ".mlp_out", v -> v.zerosLike());
      }
      NDArray logits = model.forward(pass.create(TOKENS, new Shape(1, TOKENS.length)), h);
      // Hand computation: LayerNorm of the embedding rows, times the embedding matrix transposed.
      float[] e = model.parameter("model.embed_tokens.weight").toFloatArray();
      float[] out = logits.toFloatArray();
      int d = C.hidden();
      for (int pos = 0; pos < TOKENS.length; pos++) {
        double[] row = new double[d];
        double mean = 0;
        for (int k = 0; k < d; k++) {
          row[k] = e[TOKENS[pos] * d + k];
          mean += row[k] / d;
        }
        double var = 0;
        for (int k = 0; k < d; k++) {
          var += (row[k] - mean) * (row[k] - mean) / d;
        }
        for (int v = 0; v < C.vocabSize(); v++) {
          double dot = 0;
          for (int k = 0; k < d; k++) {
            dot += (row[k] - mean) / Math.sqrt(var + 1e-5) * e[v * d + k];
          }
          assertEquals(dot, out[pos * C.vocabSize() + v], 1e-4);
        }
      }
    }
  }

  @Test
  void chunkedAttentionAndMlpGiveTheWholeComputation() throws Exception {
    try (NDManager m = NDManager.newBaseManager(); OlmoModel model = OlmoCheckpoint.read(dir, m);
        NDManager pass = m.newSubManager()) {
      NDArray tokens = pass.create(new int[] {3, 7, 7, 29, 0, 12, 3, 7, 5, 18, 1, 2, 3, 4, 5, 6}, new Shape(2, 8));
      NDArray whole = model.forward(tokens, new Hooks().read("blocks.0.attn.pattern")); // the unchunked path
      NDArray plain = model.forward(tokens, Hooks.NONE);
      model.chunkBytes(4L * 2 * 8 * 8 + 4L * 20 * 3); // one head of scores; three rows of the MLP
      NDArray chunked = model.forward(tokens, Hooks.NONE);
      assertTrue(maxDiff(whole, plain) < 1e-6);
      // Differently blocked matmuls round differently in float32 (measured 3e-6 on logits of a few units).
      assertTrue(maxDiff(whole, chunked) < 2e-5, "diff " + maxDiff(whole, chunked));
    }
  }

  @Test
  void aWriterMayHandBackAnArrayItOwns() throws Exception {
    try (NDManager m = NDManager.newBaseManager(); OlmoModel model = OlmoCheckpoint.read(dir, m);
        NDManager mine = m.newSubManager(); NDManager pass = m.newSubManager()) {
      NDArray patch = mine.zeros(new Shape(1, TOKENS.length, C.hidden()));
      Hooks h = new Hooks().write("blocks.0.resid_post", v -> patch);
      NDArray patched = model.forward(pass.create(TOKENS, new Shape(1, TOKENS.length)), h);
      assertSame(mine, patch.getManager(), "a borrowed array returns to its owner");
      assertFalse(patch.isReleased());
      // A zero residual after block 0 is the same as starting block 1 from zeros.
      Hooks h2 = new Hooks().write("blocks.1.resid_pre", v -> v.zerosLike());
      NDArray expected = model.forward(pass.create(TOKENS, new Shape(1, TOKENS.length)), h2);
      assertTrue(maxDiff(patched, expected) == 0);
    }
  }

  @Test
  void clippingChangesTheOutputAndTokensOutsideTheVocabularyAreRefused() throws Exception {
    try (NDManager m = NDManager.newBaseManager(); OlmoModel clipped = OlmoCheckpoint.read(dir, m);
        NDManager pass = m.newSubManager()) {
      OlmoConfig free = new OlmoConfig(30, 16, 2, 4, 20, 16, 10000, Double.NaN, true);
      try (OlmoModel unclipped = OlmoModel.of(free, m, clipped.parameters(), "test")) {
        NDArray tokens = pass.create(TOKENS, new Shape(1, TOKENS.length));
        assertTrue(maxDiff(clipped.forward(tokens, Hooks.NONE), unclipped.forward(tokens, Hooks.NONE)) > 1e-3);
      }
      var e = assertThrows(IllegalArgumentException.class,
          () -> clipped.forward(pass.create(new int[] {1, 30}, new Shape(1, 2)), Hooks.NONE));
      assertEquals("token ids must lie in [0, 30), got [1, 30]", e.getMessage());
    }
  }
}
