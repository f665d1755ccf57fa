package org.arbor.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in Hugging Face's rotate-half form (Llama and OLMo compute it the same
 * way): for head dimension Dh, frequency i < Dh/2 is theta^(-2i/Dh), applied to the pair of
 * dimensions (i, i + Dh/2).
 */
public final class Rope {
  private Rope() {}

  /** cos and sin tables [T, Dh] in float32, computed as transformers does (float frequencies). */
  public static NDArray[] tables(NDManager m, int t, int dh, double theta) {
    float[] cosv = new float[t * dh];
    float[] sinv = new float[t * dh];
    for (int i = 0; i < dh / 2; i++) {
      float invFreq = (float) (1.0 / Math.pow(theta, (float) (2 * i) / dh));
      for (int pos = 0; pos < t; pos++) {
        float angle = pos * invFreq;
        float c = (float) Math.cos(angle);
        float s = (float) Math.sin(angle);
        cosv[pos * dh + i] = c;
        cosv[pos * dh + i + dh / 2] = c;
        sinv[pos * dh + i] = s;
        sinv[pos * dh + i + dh / 2] = s;
      }
    }
    return new NDArray[] {m.create(cosv, new Shape(t, dh)), m.create(sinv, new Shape(t, dh))};
  }

  /** x cos + rotate_half(x) sin on [.., T, Dh], rotate_half(x) = [-x2, x1]. */
  public static NDArray apply(NDArray x, NDArray[] tables) {
    long half = x.getShape().get(x.getShape().dimension() - 1) / 2;
    NDArray x1 = x.get(new NDIndex("..., :{}", half));
    NDArray x2 = x.get(new NDIndex("..., {}:", half));
    NDArray rotated = x2.neg().concat(x1, -1);
    return x.mul(tables[0]).add(rotated.mul(tables[1]));
  }
}
