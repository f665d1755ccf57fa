package org.arbor.jobs.corpus;

import java.util.Arrays;

/**
 * Parquet's RLE / bit-packing hybrid encoding (used for repetition and definition levels and for
 * dictionary indices): a sequence of runs, each a ULEB128 header followed by either one repeated
 * value ({@code header = count << 1}, the value in ceil(width / 8) little-endian bytes) or groups
 * of eight bit-packed values ({@code header = groups << 1 | 1}, values packed from the least
 * significant bit on, width bytes per group).
 */
final class HybridRle {
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
   * padded with zeros, which readers ignore because the page header states the value count.
   */
  static void packed(ByteSink out, int[] values, int from, int n, int base, int width) {
    if (width > 16) {
      throw new IllegalArgumentException("bit width " + width + " > 16");
    }
    int groups = (n + 7) >>> 3;
    out.putVarint(((long) groups << 1) | 1);
    int bytes = groups * width;
    out.reserve(bytes + 8);
    byte[] a = out.array();
    int start = out.size();
    int at = start;
    long acc = 0;
    int bits = 0;
    int end = from + n;
    for (int i = from; i < end; i++) {
      acc |= (long) (values[i] - base) << bits;
      bits += width;
      if (bits >= 32) {
        a[at] = (byte) acc;
        a[at + 1] = (byte) (acc >>> 8);
        a[at + 2] = (byte) (acc >>> 16);
        a[at + 3] = (byte) (acc >>> 24);
        at += 4;
        acc >>>= 32;
        bits -= 32;
      }
    }
    while (bits > 0) {
      a[at++] = (byte) acc;
      acc >>>= 8;
      bits -= 8;
    }
    Arrays.fill(a, at, start + bytes, (byte) 0); // zero padding of the last group
    out.advance(bytes);
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
