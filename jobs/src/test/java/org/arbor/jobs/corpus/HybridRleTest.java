package org.arbor.jobs.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The RLE / bit-packing hybrid against hand-worked bytes (the Parquet encoding spec's examples). */
class HybridRleTest {
  private static byte[] bytes(ByteSink s) {
    return Arrays.copyOf(s.array(), s.size());
  }

  private static byte[] b(int... v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    return out;
  }

  @Test
  void bitPacksTheSpecExample() {
    // Values 0..7 at width 3: one group; header (1 << 1) | 1; bytes 10001000 11000110 11111010.
    ByteSink s = new ByteSink();
    HybridRle.packed(s, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 0, 8, 0, 3);
    assertArrayEquals(b(0x03, 0x88, 0xC6, 0xFA), bytes(s));
  }

  @Test
  void packsEveryWidthAndLengthLikeABitByBitWriter() {
    java.util.Random r = new java.util.Random(5);
    for (int width = 1; width <= 16; width++) {
      for (int n = 1; n <= 41; n++) {
        int base = r.nextInt(100) - 50;
        int[] v = new int[n + 2];
        for (int i = 0; i < v.length; i++) {
          v[i] = base + r.nextInt(1 << width);
        }
        // Reference: value j's bit b is bit j * width + b of the little-endian stream.
        int groups = (n + 7) / 8;
        byte[] want = new byte[groups * width];
        for (int j = 0; j < n; j++) {
          for (int b = 0; b < width; b++) {
            if (((v[1 + j] - base) >>> b & 1) != 0) {
              int bit = j * width + b;
              want[bit >>> 3] |= (byte) (1 << (bit & 7));
            }
          }
        }
        ByteSink s = new ByteSink();
        s.put(0x77); // packing appends after what the sink holds
        HybridRle.packed(s, v, 1, n, base, width);
        byte[] got = bytes(s);
        assertEquals(0x77, got[0] & 0xFF);
        assertEquals((groups << 1) | 1, got[1] & 0xFF, "header, width " + width + " n " + n);
        assertArrayEquals(want, java.util.Arrays.copyOfRange(got, 2, got.length), "width " + width + " n " + n);
      }
    }
  }

  @Test
  void padsTheLastGroupAndSubtractsTheBase() {
    // 11, 12, 13 minus base 10 at width 2: 1 | 2 << 2 | 3 << 4 = 0x39, then the group's second byte, zero.
    ByteSink s = new ByteSink();
    HybridRle.packed(s, new int[] {99, 11, 12, 13}, 1, 3, 10, 2);
    assertArrayEquals(b(0x03, 0x39, 0x00), bytes(s));
    // Nine values at width 16: two groups, 32 bytes, value i in bytes 2i, 2i + 1.
    int[] v = {1, 2, 3, 4, 5, 6, 7, 8, 0xABCD};
    s.clear();
    HybridRle.packed(s, v, 0, v.length, 0, 16);
    byte[] out = bytes(s);
    assertEquals(1 + 32, out.length);
    assertEquals(0x05, out[0]);
    assertEquals((byte) 0xCD, out[1 + 16]);
    assertEquals((byte) 0xAB, out[1 + 17]);
    for (int i = 19; i < out.length; i++) {
      assertEquals(0, out[i]);
    }
  }

  @Test
  void writesRunsWithVarintHeaders() {
    ByteSink s = new ByteSink();
    HybridRle.run(s, 3, 5, 3);          // header 3 << 1, value in one byte
    HybridRle.run(s, 200, 1, 1);        // header 400 = ULEB128 0x90 0x03
    HybridRle.run(s, 1, 0x1234, 9);     // a 9-bit value takes two bytes, little-endian
    assertArrayEquals(b(0x06, 0x05, 0x90, 0x03, 0x01, 0x02, 0x34, 0x12), bytes(s));
    s.clear();
    assertTrue(HybridRle.runLengths(s, new int[] {-1, -1, 0, 0, 0, 2}, 0, 6, -1, 2, 7));
    assertArrayEquals(b(0x04, 0x00, 0x06, 0x01, 0x02, 0x03), bytes(s));
    // Six bytes of runs reach a limit of 6.
    s.clear();
    assertFalse(HybridRle.runLengths(s, new int[] {-1, -1, 0, 0, 0, 2}, 0, 6, -1, 2, 6));
    // Runs that cross blocks of scanned values: 3000 values in runs of 7 (the last of 4), width 9.
    int[] v = new int[3000];
    for (int i = 0; i < v.length; i++) {
      v[i] = 300 + i / 7 % 200;
    }
    s.clear();
    assertTrue(HybridRle.runLengths(s, v, 0, v.length, 300, 9, Long.MAX_VALUE));
    byte[] out = bytes(s);
    assertEquals(429 * 3, out.length);
    for (int r = 0; r < 429; r++) {
      assertEquals((r < 428 ? 7 : 4) << 1, out[3 * r], "run " + r);
      assertEquals(r % 200, (out[3 * r + 1] & 0xFF) | (out[3 * r + 2] & 0xFF) << 8, "run " + r);
    }
    // A limit stops it partway: it says so, and the caller drops what it wrote.
    s.clear();
    assertFalse(HybridRle.runLengths(s, v, 0, v.length, 300, 9, 600));
  }

  @Test
  void levelRunsMergeWhileTheValueStays() {
    ByteSink s = new ByteSink();
    HybridRle.Levels l = new HybridRle.Levels(s, 1);
    l.add(0, 1);
    l.add(1, 3);
    l.add(1, 0);
    l.add(1, 2);
    l.add(0, 1);
    l.add(0, 1);
    l.flush();
    assertArrayEquals(b(0x02, 0x00, 0x0A, 0x01, 0x04, 0x00), bytes(s));
  }

  @Test
  void varintBytesCountsSevenBitsAByte() {
    assertEquals(1, HybridRle.varintBytes(0));
    assertEquals(1, HybridRle.varintBytes(127));
    assertEquals(2, HybridRle.varintBytes(128));
    assertEquals(2, HybridRle.varintBytes(16383));
    assertEquals(3, HybridRle.varintBytes(16384));
    assertEquals(10, HybridRle.varintBytes(-1L));
    for (long v : new long[] {0, 1, 300, 1L << 20, 1L << 40, Long.MAX_VALUE}) {
      ByteSink s = new ByteSink();
      s.putVarint(v);
      assertEquals(s.size(), HybridRle.varintBytes(v), "v " + v);
    }
  }

  @Test
  void widthCoversTheRange() {
    assertEquals(1, HybridRle.width(0));
    assertEquals(1, HybridRle.width(1));
    assertEquals(2, HybridRle.width(3));
    assertEquals(10, HybridRle.width(1000));
    assertEquals(16, HybridRle.width(65535));
  }
}
