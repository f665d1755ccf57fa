package org.arbor.grammar;

import java.util.Arrays;

/**
 * ln P(class sequence) by the sequence's code (its classes as base-(k+1) digits), in an
 * open-addressing table of primitives: looked up once per sentence, where a boxed HashMap cost more
 * than the rest of the sentence's bookkeeping. Holds at most {@link #LIMIT} sequences (a few for
 * the presets); beyond that {@link #put} is ignored and callers recompute.
 */
final class ClassSequenceCache {
  static final int LIMIT = 1 << 16;
  private static final int SLOTS = 2 * LIMIT; // load factor at most 1/2
  private final long[] keys = new long[SLOTS];
  /** NaN marks an empty slot (a log-probability is never NaN). */
  private final double[] values = new double[SLOTS];
  private int size;

  ClassSequenceCache() {
    Arrays.fill(values, Double.NaN);
  }

  /** The cached value of code, or NaN. */
  double get(long code) {
    for (int i = slot(code); ; i = (i + 1) & (SLOTS - 1)) {
      double v = values[i];
      if (Double.isNaN(v) || keys[i] == code) {
        return v;
      }
    }
  }

  void put(long code, double logP) {
    if (size >= LIMIT) {
      return;
    }
    int i = slot(code);
    while (!Double.isNaN(values[i])) {
      if (keys[i] == code) {
        return;
      }
      i = (i + 1) & (SLOTS - 1);
    }
    keys[i] = code;
    values[i] = logP;
    size++;
  }

  private static int slot(long code) {
    return (int) (org.arbor.random.Rng.mix64(code) >>> 47); // 17 bits: SLOTS = 2^17
  }
}
