package org.arbor.probe.fv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.function.Function;

/**
 * Hook writers that intervene at the last position of a prompt only (where the answer is
 * predicted), for {@link org.arbor.model.Hooks#write}. Each is value * keep + insert with keep 1
 * everywhere else and insert 0 there, so every other position passes through bit for bit.
 */
final class LastPosition {
  private LastPosition() {}

  /** Replaces head {@code head}'s contribution in blocks.L.attn.head_result [B, T, H, D] by {@code value} [D]. */
  static Function<NDArray, NDArray> replaceHead(int head, float[] value) {
    return v -> {
      Shape s = v.getShape();
      int t = (int) s.get(1);
      int h = (int) s.get(2);
      int d = (int) s.get(3);
      check(value.length, d, "head_result");
      float[] keep = new float[t * h];
      java.util.Arrays.fill(keep, 1f);
      keep[(t - 1) * h + head] = 0f;
      float[] insert = new float[t * h * d];
      System.arraycopy(value, 0, insert, ((t - 1) * h + head) * d, d);
      NDManager m = v.getManager();
      return v.mul(m.create(keep, new Shape(1, t, h, 1))).add(m.create(insert, new Shape(1, t, h, d)));
    };
  }

  /** Adds {@code vector} [D] to a residual-stream value [B, T, D] at the last position. */
  static Function<NDArray, NDArray> add(float[] vector) {
    return v -> {
      Shape s = v.getShape();
      int t = (int) s.get(1);
      int d = (int) s.get(2);
      check(vector.length, d, "residual");
      float[] insert = new float[t * d];
      System.arraycopy(vector, 0, insert, (t - 1) * d, d);
      return v.add(v.getManager().create(insert, new Shape(1, t, d)));
    };
  }

  /** Replaces row b's last position of a value [B, T, D] by {@code rows[b]} (patching from other runs). */
  static Function<NDArray, NDArray> replace(float[][] rows) {
    return v -> {
      Shape s = v.getShape();
      int b = (int) s.get(0);
      int t = (int) s.get(1);
      int d = (int) s.get(2);
      if (rows.length != b) {
        throw new IllegalArgumentException("patch has " + rows.length + " rows for a batch of " + b);
      }
      float[] keep = new float[t];
      java.util.Arrays.fill(keep, 1f);
      keep[t - 1] = 0f;
      float[] insert = new float[b * t * d];
      for (int i = 0; i < b; i++) {
        check(rows[i].length, d, "patched value");
        System.arraycopy(rows[i], 0, insert, (i * t + t - 1) * d, d);
      }
      NDManager m = v.getManager();
      return v.mul(m.create(keep, new Shape(1, t, 1))).add(m.create(insert, new Shape(b, t, d)));
    };
  }

  private static void check(int got, int expected, String what) {
    if (got != expected) {
      throw new IllegalArgumentException(what + " has width " + expected + ", the vector " + got);
    }
  }
}
