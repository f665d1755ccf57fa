package org.arbor.jobs.corpus;

import java.util.Arrays;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.IntStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Encodes one {@code list<int32>} column chunk of a row group (a required LIST group around a
 * repeated int32, so repetition and definition levels are one bit each; an empty list is a single
 * entry at definition level 0) as one Parquet v1 data page, reading the values where the sampler
 * wrote them: one column of the writer's {@link org.arbor.corpus.DocumentBuffer}.
 *
 * <p>Values are dictionary-encoded against the dense range [min, max] of the row group (index =
 * value - min): no hashing, and the dictionary page lists every value of the range. A column that
 * takes a few values spread over a wide range (the N-gram orders 0, 1, 2, 4, ..., 128) gets a
 * dictionary of the values present instead, so its indices are 4 bits wide rather than 8 (and
 * ZSTD, whose cost grows with its input, has half as much to read). The indices are written as
 * runs when that takes at most half the bytes of packing them (section and sentence indices are
 * constant over long stretches), else bit-packed (tokens, category, rank, orders). A range wider
 * than 2^16 is stored plain.
 */
final class ListColumn {
  /** Widest value range that is dictionary-encoded (the dictionary page holds the whole range). */
  static final int MAX_DICTIONARY = 1 << 16;
  /** Values looked at to choose between runs and packing, and whether to look for a sparse dictionary. */
  static final int PROBE = 256;
  /** Most distinct values among the probe's for a column to be scanned for a sparse dictionary. */
  static final int SPARSE_PROBE_VALUES = 16;

  private final PrimitiveType type;
  /** Over [min, max] of a column being scanned for a sparse dictionary: presence, then index + 1; all zero between calls. */
  private int[] slot = new int[0];
  /** A sparse column's dictionary indices (reused). */
  private int[] indices = new int[0];

  ListColumn(PrimitiveType type) {
    this.type = type;
  }

  /**
   * An encoded, uncompressed column chunk: the data page in one sink and, when dictionarySize > 0,
   * the dictionary page in the other (views into the writer's reused buffers, valid until the
   * next encode).
   */
  record Chunk(int dictionarySize, int entries, Encoding encoding, Statistics<?> statistics) {}

  /**
   * The repetition and definition level blocks of a row group's pages: the same bytes for every
   * column that carries values, and for every column that does not, so they are encoded once per
   * row group and copied into each page.
   */
  static final class Levels {
    final ByteSink bytes = new ByteSink();
    boolean carried;
    int empty;

    /**
     * Levels of rows documents, row r having lengths[r] values (carried), or none (not carried):
     * repetition then definition levels, each RLE-encoded behind a 4-byte length (the v1 page
     * layout); a row of n values is levels (0, 1 x (n-1)) and (1 x n), an empty row one 0 / 0.
     */
    Levels encode(int[] lengths, int rows, boolean carried) {
      this.carried = carried;
      ByteSink sink = bytes;
      sink.clear();
      sink.putInt(0);
      HybridRle.Levels rep = new HybridRle.Levels(sink, 1);
      int none = 0;
      for (int r = 0; r < rows; r++) {
        int n = carried ? lengths[r] : 0;
        none += n == 0 ? 1 : 0;
        rep.add(0, 1);
        rep.add(1, Math.max(0, n - 1));
      }
      rep.flush();
      sink.setInt(0, sink.size() - 4);
      int at = sink.size();
      sink.putInt(0);
      HybridRle.Levels def = new HybridRle.Levels(sink, 1);
      for (int r = 0; r < rows; r++) {
        int n = carried ? lengths[r] : 0;
        def.add(n == 0 ? 0 : 1, Math.max(1, n));
      }
      def.flush();
      sink.setInt(at, sink.size() - at - 4);
      empty = none;
      return this;
    }
  }

  /**
   * Encodes a column chunk: size values one document after another in values, with the row
   * group's levels (when those are not carried every row's list is empty and values is ignored).
   */
  Chunk encode(int[] values, int size, Levels levels, ByteSink sink, ByteSink dictionary) {
    sink.clear();
    dictionary.clear();
    sink.putBytes(levels.bytes);
    if (!levels.carried) {
      size = 0;
    }
    IntStatistics stats = (IntStatistics) Statistics.createStats(type);
    stats.incrementNumNulls(levels.empty);
    int entries = size + levels.empty;
    if (size == 0) {
      return new Chunk(0, entries, Encoding.PLAIN, stats);
    }
    long minMax = minMax(values, size);
    int min = (int) (minMax >> 32);
    int max = (int) minMax;
    stats.updateStats(min);
    stats.updateStats(max);
    long range = (long) max - min;
    if (range >= MAX_DICTIONARY) {
      sink.reserve(4 * size);
      for (int i = 0; i < size; i++) {
        sink.putInt(values[i]);
      }
      return new Chunk(0, entries, Encoding.PLAIN, stats);
    }
    int[] present = sparseDictionary(values, size, min, (int) range);
    if (present != null) {
      indices(sink, values, size, min, HybridRle.width(present.length - 1), (int) range);
      dictionary.reserve(4 * present.length);
      for (int v : present) {
        dictionary.putInt(v);
      }
      return new Chunk(present.length, entries, Encoding.PLAIN_DICTIONARY, stats);
    }
    indices(sink, values, size, min, HybridRle.width(range), -1);
    int dictionarySize = (int) range + 1;
    dictionary.reserve(4 * dictionarySize);
    for (int i = 0; i < dictionarySize; i++) {
      dictionary.putInt(min + i);
    }
    return new Chunk(dictionarySize, entries, Encoding.PLAIN_DICTIONARY, stats);
  }

  /**
   * The width byte and the dictionary indices: values[i] - base, or, after
   * {@link #sparseDictionary} (sparseRange >= 0), slot[values[i] - base] - 1, clearing slot. Runs
   * are tried first when the probe suggests them, and dropped for packing once they reach its size.
   */
  private void indices(ByteSink sink, int[] values, int size, int base, int width, int sparseRange) {
    int[] v = values;
    if (sparseRange >= 0) {
      if (indices.length < size) {
        indices = new int[Math.max(size, 2 * indices.length)];
      }
      v = indices;
      int[] s = slot;
      for (int i = 0; i < size; i++) {
        v[i] = s[values[i] - base] - 1;
      }
      Arrays.fill(s, 0, sparseRange + 1, 0);
      base = 0;
    }
    sink.put(width);
    int at = sink.size();
    long groups = (size + 7L) >>> 3;
    long packedEnd = at + HybridRle.varintBytes(groups << 1 | 1) + groups * width;
    if (!probeSuggestsRuns(v, size, width) || !HybridRle.runLengths(sink, v, 0, size, base, width, packedEnd)) {
      sink.truncate(at);
      HybridRle.packed(sink, v, 0, size, base, width);
    }
  }

  /**
   * The values present in values[0, size), ascending, when the column is worth a dictionary of
   * them (its indices at least 2 bits narrower than those of the range): then slot[v - min] holds
   * v's index + 1 until {@link #indices} maps and clears it. Else null (slot stays clear). Only a
   * column whose range needs 7 bits or more and whose probe shows at most
   * {@link #SPARSE_PROBE_VALUES} values is scanned whole, so dense columns pay for the probe alone.
   */
  private int[] sparseDictionary(int[] values, int size, int min, int range) {
    if (range < 4 * SPARSE_PROBE_VALUES) {
      return null;
    }
    if (slot.length <= range) {
      slot = new int[range + 1];
    }
    int[] s = slot;
    int n = Math.min(size, PROBE);
    int seen = 0;
    for (int i = 0; i < n; i++) {
      int k = values[i] - min;
      seen += s[k] == 0 ? 1 : 0;
      s[k] = 1;
    }
    if (seen > SPARSE_PROBE_VALUES) {
      for (int i = 0; i < n; i++) {
        s[values[i] - min] = 0;
      }
      return null;
    }
    for (int i = n; i < size; i++) {
      s[values[i] - min] = 1;
    }
    int count = 0;
    for (int k = 0; k <= range; k++) {
      count += s[k];
    }
    if (HybridRle.width(count - 1) + 2 > HybridRle.width(range)) {
      Arrays.fill(s, 0, range + 1, 0);
      return null;
    }
    int[] present = new int[count];
    int d = 0;
    for (int k = 0; k <= range; k++) {
      if (s[k] != 0) {
        present[d] = min + k;
        s[k] = ++d;
      }
    }
    return present;
  }

  /**
   * Minimum (high half) and maximum (low half) of values[0, size), size >= 1. After the first few
   * values neither changes often, so the compare-and-select per value is a well-predicted branch
   * (0.37 ns per value, against 0.7 for four independent lanes of Math.min / Math.max).
   */
  static long minMax(int[] values, int size) {
    int lo = values[0];
    int hi = lo;
    for (int i = 1; i < size; i++) {
      int v = values[i];
      lo = v < lo ? v : lo;
      hi = v > hi ? v : hi;
    }
    return (long) lo << 32 | (hi & 0xFFFFFFFFL);
  }

  /**
   * Whether the first {@link #PROBE} values would take at most half the bytes as runs (a header
   * and a value each, at least 1 + ceil(width / 8) bytes) as bit-packed. Runs cost more time per
   * value than packing, and ZSTD evens out sizes that differ less (the N-gram tokens: runs of the
   * frequent id 0 are 18 % smaller than packing and compress to the same size).
   */
  private static boolean probeSuggestsRuns(int[] values, int size, int width) {
    int n = Math.min(size, PROBE);
    int runs = 1;
    for (int i = 1; i < n; i++) {
      runs += values[i] != values[i - 1] ? 1 : 0;
    }
    return (long) runs * (1 + ((width + 7) >>> 3)) * 16 <= (long) n * width;
  }
}
