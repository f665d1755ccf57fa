package org.arbor.jobs.corpus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

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

  /** Bytes one run takes at most: a 10-byte header and a value of up to 32 bits. */
  private static final int MAX_RUN_BYTES = 14;

  /** One run of count copies of value. */
  static void run(ByteSink out, long count, int value, int width) {
    out.reserve(MAX_RUN_BYTES);
    out.advance(run(out.array(), out.size(), count, value, width) - out.size());
  }

  /** One run written at a[at] (room for {@link #MAX_RUN_BYTES}); returns the position after it. */
  private static int run(byte[] a, int at, long count, int value, int width) {
    long header = count << 1;
    while (header >= 0x80) {
      a[at++] = (byte) (header | 0x80);
      header >>>= 7;
    }
    a[at++] = (byte) header;
    for (int b = 0; b < width; b += 8) {
      a[at++] = (byte) (value >>> b);
    }
    return at;
  }

  /** Bytes of a ULEB128 varint. */
  static int varintBytes(long v) {
    return Math.max(1, (70 - Long.numberOfLeadingZeros(v)) / 7);
  }

  /**
   * values[from, from + n) minus base, bit-packed as one run (width at most 16); the last group is
   * padded with zeros, which readers ignore because the page header states the value count. A
   * group of eight values is at most 128 bits: each half of four values (4 x width <= 64 bits) is
   * assembled with fixed shifts, and the two halves are joined into two longs stored whole, with no
   * branch per value (0.5 against 1.4 ns per value with a shift decided per value).
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
      group(values, i, base, width, a, at);
      at += width;
    }
    if (i < end) {
      int[] last = new int[8];
      Arrays.fill(last, base);
      System.arraycopy(values, i, last, 0, end - i);
      group(last, 0, base, width, a, at);
    }
    out.advance(bytes);
  }

  /**
   * values[i, i + 8) minus base as 8 x width bits, stored as 16 bytes at a[at] of which the
   * group's width bytes count: the low half (values 0-3) fills bits 0 .. 4w-1, the high half
   * (values 4-7) bits 4w .. 8w-1. The high half's shift is split in two because 4w may be 64,
   * which Java would take as a shift by 0.
   */
  private static void group(int[] values, int i, int base, int width, byte[] a, int at) {
    int w2 = 2 * width;
    int w3 = 3 * width;
    int half = 4 * width;
    long low = (long) (values[i] - base) | (long) (values[i + 1] - base) << width
        | (long) (values[i + 2] - base) << w2 | (long) (values[i + 3] - base) << w3;
    long high = (long) (values[i + 4] - base) | (long) (values[i + 5] - base) << width
        | (long) (values[i + 6] - base) << w2 | (long) (values[i + 7] - base) << w3;
    LONGS.set(a, at, low | (high << (half - 1)) << 1);
    LONGS.set(a, at + 8, high >>> (64 - half));
  }

  /** Values scanned for run ends at a time. */
  private static final int SCAN = 1 << 10;

  /**
   * values[from, from + n) minus base as runs (for columns that are constant over long stretches),
   * appended to out; returns false, with part of them written, once out reaches limit bytes (the
   * caller truncates and packs instead; checked after each block of {@link #SCAN} values). Eight
   * values equal to the one before them are skipped with one test; in the eight after a change,
   * run ends are found without a branch per value (the position is stored, the count advances on a
   * change), because a loop that stops at each end mispredicts once per run.
   */
  static boolean runLengths(ByteSink out, int[] values, int from, int n, int base, int width, long limit) {
    int end = from + n;
    int[] ends = new int[SCAN];
    int start = from;
    for (int b = from + 1; b < end; b += SCAN) {
      int e = Math.min(end, b + SCAN);
      int k = 0;
      int i = b;
      while (i < e) {
        if (i + 8 <= e) { // skip eight values at once while the run goes on
          int p = values[i - 1];
          if (((values[i] ^ p) | (values[i + 1] ^ p) | (values[i + 2] ^ p) | (values[i + 3] ^ p)
              | (values[i + 4] ^ p) | (values[i + 5] ^ p) | (values[i + 6] ^ p) | (values[i + 7] ^ p)) == 0) {
            i += 8;
            continue;
          }
        }
        for (int stop = Math.min(e, i + 8); i < stop; i++) {
          ends[k] = i;
          k += values[i] != values[i - 1] ? 1 : 0;
        }
      }
      out.reserve(k * MAX_RUN_BYTES);
      byte[] a = out.array();
      int at = out.size();
      for (int c = 0; c < k; c++) {
        at = run(a, at, ends[c] - start, values[start] - base, width);
        start = ends[c];
      }
      out.advance(at - out.size());
      if (out.size() >= limit) {
        return false;
      }
    }
    run(out, end - start, values[start] - base, width);
    return out.size() < limit;
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
