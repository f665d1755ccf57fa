package org.arbor.jobs.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.apache.parquet.column.Encoding;
import org.junit.jupiter.api.Test;

/**
 * ListColumn's page sizes on hand-built columns, one document each: the page is the two level
 * blocks, the width byte and then either runs or one bit-packed run, whichever the column calls for.
 */
class ListColumnTest {
  private static final ListColumn COLUMN = new ListColumn(ShardWriter.SCHEMA.getColumns().get(7).getPrimitiveType());

  /** Bytes of a one-document page's levels: rep (0, 1 x (n-1)) and def (1 x n), each a 4-byte length and its runs. */
  private static int levelBytes(int n) {
    int rep = 2 + (n > 1 ? varint(2L * (n - 1)) + 1 : 0);
    int def = varint(2L * n) + 1;
    return 4 + rep + 4 + def;
  }

  private static int varint(long v) {
    int n = 1;
    while (v >= 0x80) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  private static ListColumn.Chunk encode(int[] v, ByteSink sink) {
    return COLUMN.encode(v, v.length, new ListColumn.Levels().encode(new int[] {v.length}, 1, true), sink, new ByteSink());
  }

  @Test
  void longStretchesAreWrittenAsRuns() {
    int[] v = new int[3000];
    for (int i = 0; i < v.length; i++) {
      v[i] = i / 1000 - 1; // -1, 0, 1: three runs of 1000 at width 2
    }
    ByteSink sink = new ByteSink();
    ListColumn.Chunk c = encode(v, sink);
    assertEquals(3, c.dictionarySize());
    assertEquals(Encoding.PLAIN_DICTIONARY, c.encoding());
    assertEquals(levelBytes(v.length) + 1 + 3 * (2 + 1), sink.size()); // each run: 2-byte header, 1-byte value
  }

  @Test
  void valuesThatChangeAtEveryPositionAreBitPacked() {
    int[] v = new int[3000];
    Random r = new Random(3);
    for (int i = 0; i < v.length; i++) {
      v[i] = 100 + r.nextInt(1000);
    }
    v[0] = 100;
    v[1] = 1099; // range 999: width 10
    ByteSink sink = new ByteSink();
    encode(v, sink);
    assertEquals(levelBytes(v.length) + 1 + varint(2 * 375 + 1) + 375 * 10, sink.size());
  }

  @Test
  void aColumnThatStartsLikeRunsButIsSmallerPackedIsPacked() {
    // The first 1000 values are one run, so the probe suggests runs; the next 3000 alternate, so
    // the runs outgrow packing and the column is packed after all (width 1: 500 groups of 1 byte).
    int[] v = new int[4000];
    for (int i = 1000; i < v.length; i++) {
      v[i] = i & 1;
    }
    ByteSink sink = new ByteSink();
    encode(v, sink);
    assertEquals(levelBytes(v.length) + 1 + varint(2 * 500 + 1) + 500, sink.size());
    // And a column of the same values in long runs stays as runs.
    Arrays.sort(v);
    sink.clear();
    encode(v, sink);
    assertEquals(levelBytes(v.length) + 1 + 2 * (2 + 1), sink.size());
  }

  /** Expected page of one document whose dictionary indices are given: levels, width byte, one packed run. */
  private static byte[] packedPage(int n, int[] indices, int width) {
    ByteSink s = new ByteSink();
    s.putBytes(new ListColumn.Levels().encode(new int[] {n}, 1, true).bytes);
    s.put(width);
    HybridRle.packed(s, indices, 0, n, 0, width);
    return Arrays.copyOf(s.array(), s.size());
  }

  @Test
  void fewValuesSpreadOverAWideRangeGetADictionaryOfTheValuesPresent() {
    // The N-gram orders: 0 and 1, 2, 4, ..., 128. Range 128 needs 8 bits, 9 values need 4.
    int[] orders = {0, 1, 2, 4, 8, 16, 32, 64, 128};
    ListColumn column = new ListColumn(ShardWriter.SCHEMA.getColumns().get(7).getPrimitiveType());
    Random r = new Random(5);
    for (int round = 0; round < 3; round++) { // the scratch table is left clear for the next column
      int[] v = new int[3000];
      int[] expected = new int[v.length];
      for (int i = 0; i < v.length; i++) {
        expected[i] = r.nextInt(orders.length);
        v[i] = orders[expected[i]];
      }
      v[0] = 0;
      v[1] = 128;
      expected[0] = 0;
      expected[1] = 8;
      ByteSink sink = new ByteSink();
      ByteSink dictionary = new ByteSink();
      ListColumn.Chunk c = column.encode(v, v.length, new ListColumn.Levels().encode(new int[] {v.length}, 1, true),
          sink, dictionary);
      assertEquals(orders.length, c.dictionarySize());
      ByteSink want = new ByteSink();
      for (int o : orders) {
        want.putInt(o);
      }
      assertArrayEquals(Arrays.copyOf(want.array(), want.size()), Arrays.copyOf(dictionary.array(), dictionary.size()));
      assertArrayEquals(packedPage(v.length, expected, 4), Arrays.copyOf(sink.array(), sink.size()));
    }
  }

  @Test
  void aColumnWhoseProbeLooksSparseButIsNotKeepsTheRangeDictionary() {
    // The first 256 values take two values, the rest every value of 0..128: a full dictionary.
    int[] v = new int[3000];
    Random r = new Random(6);
    for (int i = 0; i < v.length; i++) {
      v[i] = i < ListColumn.PROBE ? 128 * (i & 1) : r.nextInt(129);
    }
    ByteSink sink = new ByteSink();
    ListColumn.Chunk c = encode(v, sink);
    assertEquals(129, c.dictionarySize());
    assertArrayEquals(packedPage(v.length, v, 8), Arrays.copyOf(sink.array(), sink.size()));
    // A second, truly sparse column through the same encoder: the scratch table was cleared.
    int[] w = new int[3000];
    for (int i = 0; i < w.length; i++) {
      w[i] = 100 * (i % 3);
    }
    sink.clear();
    assertEquals(3, encode(w, sink).dictionarySize());
  }

  @Test
  void minMaxFindsBothEndsAnywhere() {
    assertEquals((long) -7 << 32 | 9, ListColumn.minMax(new int[] {3, 9, -7, 0}, 4));
    assertEquals((long) 5 << 32 | 5, ListColumn.minMax(new int[] {5}, 1));
    int[] big = {Integer.MAX_VALUE, Integer.MIN_VALUE};
    assertEquals((long) Integer.MIN_VALUE << 32 | (Integer.MAX_VALUE & 0xFFFFFFFFL), ListColumn.minMax(big, 2));
  }
}
