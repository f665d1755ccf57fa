package org.arbor.jobs.corpus;

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
   * values[from, from + n) minus base, bit-packed as one run; the last group is padded with zeros,
   * which readers ignore because the page header states the value count.
   */
  static void packed(ByteSink out, int[] values, int from, int n, int base, int width) {
    int groups = (n + 7) >>> 3;
    out.putVarint(((long) groups << 1) | 1);
    int bytes = groups * width;
    out.reserve(bytes + 8);
    byte[] a = out.array();
    int at = out.size();
    long acc = 0;
    int bits = 0;
    int end = from + n;
    for (int i = from; i < end; i++) {
      acc |= (long) (values[i] - base) << bits;
      bits += width;
      while (bits >= 8) {
        a[at++] = (byte) acc;
        acc >>>= 8;
        bits -= 8;
      }
    }
    if (bits > 0) {
      a[at++] = (byte) acc;
    }
    int written = at - out.size();
    for (int i = written; i < bytes; i++) { // zero padding of the last group
      a[out.size() + i] = 0;
    }
    out.advance(bytes);
  }

  /** Runs of equal values in values[from, from + n). */
  static int runs(int[] values, int from, int n) {
    if (n == 0) {
      return 0;
    }
    int runs = 1;
    int end = from + n;
    for (int i = from + 1; i < end; i++) {
      if (values[i] != values[i - 1]) {
        runs++;
      }
    }
    return runs;
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
