package org.arbor.jobs.corpus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Parquet's RLE / bit-packing hybrid encoding (used for repetition and definition levels and for
 * dictionary indices): a sequence of runs, each a ULEB128 header followed by either one repeated
 * value ({@code header = count << 1}, the value in ceil(width / 8) little-endian bytes) or groups
 * of eight bit-packed values ({@code header = groups << 1 | 1}, values packed from the least
 * significant bit on, width bytes per group).
 */
final class HybridRle {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private HybridRle() {}

  /** Bits needed for values 0 .. max (at least 1: some readers reject width 0). */
  static int width(long max) {
    return Math.max(1, 64 - Long.numberOfLeadingZeros(max));
  }

  /** One run of count copies of value. */
  static void run(ByteSink out, long count, int value, int width) {
    out.putVarint(count << 1);
    for (int b = 0; b < width; b += 8) {
      out.put(value >>> b);
    }
  }

  /**
   * values[from, from + n) minus base, bit-packed as one run (width at most 16); the last group is
   * padded with zeros, which readers ignore because the page header states the value count. Each
   * group of eight values (8 x width bits, at most 128) is assembled in two longs and stored whole.
   */
  static void packed(ByteSink out, int[] values, int from, int n, int base, int width) {
    if (width > 16) {
      throw new IllegalArgumentException("bit width " + width + " > 16");
    }
    int groups = (n + 7) >>> 3;
    out.putVarint(((long) groups << 1) | 1);
    int bytes = groups * width;
    out.reserve(bytes + 16); // each group stores 16 bytes; the next group overwrites the excess
    byte[] a = out.array();
    int at = out.size();
    int end = from + n;
    int i = from;
    for (; i + 8 <= end; i += 8) {
      group(values, i, 8, base, width, a, at);
      at += width;
    }
    if (i < end) {
      group(values, i, end - i, base, width, a, at);
    }
    out.advance(bytes);
  }

  /**
   * One group: values[i, i + count) minus base (count <= 8; missing values are zeros) in two longs,
   * stored as 16 bytes at a[at], of which the group's width bytes count.
   */
  private static void group(int[] values, int i, int count, int base, int width, byte[] a, int at) {
    long lo = 0;
    long hi = 0;
    for (int k = 0; k < count; k++) {
      long v = values[i + k] - base;
      int off = k * width;
      if (off < 64) {
        lo |= v << off;
        if (off + width > 64) {
          hi |= v >>> (64 - off);
        }
      } else {
        hi |= v << (off - 64);
      }
    }
    LONGS.set(a, at, lo);
    LONGS.set(a, at + 8, hi);
  }

  /** values[from, from + n) minus base as runs (for columns that are constant over long stretches). */
  static void runLengths(ByteSink out, int[] values, int from, int n, int base, int width) {
    int end = from + n;
    int i = from;
    while (i < end) {
      int v = values[i];
      int j = i + 1;
      while (j < end && values[j] == v) {
        j++;
      }
      run(out, j - i, v - base, width);
      i = j;
    }
  }

  /** Consecutive runs of level values, merged while the value stays the same. */
  static final class Levels {
    private final ByteSink out;
    private final int width;
    private int value = -1;
    private long count;

    Levels(ByteSink out, int width) {
      this.out = out;
      this.width = width;
    }

    void add(int level, long n) {
      if (n == 0) {
        return;
      }
      if (level == value) {
        count += n;
      } else {
        flush();
        value = level;
        count = n;
      }
    }

    void flush() {
      if (count > 0) {
        run(out, count, value, width);
      }
      count = 0;
      value = -1;
    }
  }
}
