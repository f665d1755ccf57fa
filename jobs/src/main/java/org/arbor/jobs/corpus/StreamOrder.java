package org.arbor.jobs.corpus;

/**
 * Sorts (order key, document id) pairs into stream order: ascending signed order key. An LSD
 * radix sort over 16-bit digits, so the cost is linear and no boxed values are made.
 */
final class StreamOrder {
  private StreamOrder() {}

  /** Sorts keys ascending (signed), moving ids along. */
  static void sort(long[] keys, long[] ids) {
    int n = keys.length;
    long[] k2 = new long[n];
    long[] i2 = new long[n];
    int[] count = new int[1 << 16];
    long[] kFrom = keys;
    long[] iFrom = ids;
    long[] kTo = k2;
    long[] iTo = i2;
    for (int shift = 0; shift < 64; shift += 16) {
      java.util.Arrays.fill(count, 0);
      boolean top = shift == 48;
      for (int j = 0; j < n; j++) {
        count[digit(kFrom[j], shift, top)]++;
      }
      int sum = 0;
      for (int d = 0; d < count.length; d++) {
        int c = count[d];
        count[d] = sum;
        sum += c;
      }
      for (int j = 0; j < n; j++) {
        int at = count[digit(kFrom[j], shift, top)]++;
        kTo[at] = kFrom[j];
        iTo[at] = iFrom[j];
      }
      long[] t = kFrom;
      kFrom = kTo;
      kTo = t;
      t = iFrom;
      iFrom = iTo;
      iTo = t;
    }
    // Four passes: the sorted data is back in the caller's arrays.
  }

  /** A 16-bit digit; the top one has its sign bit flipped so negative keys sort first. */
  private static int digit(long key, int shift, boolean top) {
    int d = (int) (key >>> shift) & 0xFFFF;
    return top ? d ^ 0x8000 : d;
  }
}
