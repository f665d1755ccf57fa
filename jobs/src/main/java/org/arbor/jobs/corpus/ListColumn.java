package org.arbor.jobs.corpus;

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
 * value - min): no hashing, and the dictionary page lists every value of the range. The indices
 * are written as runs when that is smaller (section, paragraph, sentence and clause are constant
 * over long stretches), else bit-packed (tokens, category, rank). A range wider than 2^16 is
 * stored plain. A chunk is read twice: once for its minimum and maximum, once to encode it (a
 * column that starts like runs but turns out smaller packed is read a third time).
 */
final class ListColumn {
  /** Widest value range that is dictionary-encoded (the dictionary page holds the whole range). */
  static final int MAX_DICTIONARY = 1 << 16;
  /** Values looked at to choose between runs and packing before encoding either. */
  static final int PROBE = 256;

  private final PrimitiveType type;

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
   * Encodes the column of rows documents whose size tokens lie one after another in values, row r
   * having lengths[r]; carried false: the process does not annotate this column and every row's
   * list is empty.
   */
  Chunk encode(int[] values, int size, int[] lengths, int rows, boolean carried, ByteSink sink, ByteSink dictionary) {
    sink.clear();
    dictionary.clear();
    if (!carried) {
      size = 0;
    }
    int empty = levels(sink, lengths, rows, carried);
    IntStatistics stats = (IntStatistics) Statistics.createStats(type);
    stats.incrementNumNulls(empty);
    int entries = size + empty;
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
    int width = HybridRle.width(range);
    sink.put(width);
    int at = sink.size();
    long groups = (size + 7L) >>> 3;
    long packedEnd = at + HybridRle.varintBytes(groups << 1 | 1) + groups * width;
    if (!probeSuggestsRuns(values, size, width) || !HybridRle.runLengths(sink, values, 0, size, min, width, packedEnd)) {
      sink.truncate(at);
      HybridRle.packed(sink, values, 0, size, min, width);
    }
    int dictionarySize = (int) range + 1;
    dictionary.reserve(4 * dictionarySize);
    for (int i = 0; i < dictionarySize; i++) {
      dictionary.putInt(min + i);
    }
    return new Chunk(dictionarySize, entries, Encoding.PLAIN_DICTIONARY, stats);
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
   * Whether the first {@link #PROBE} values would take fewer bytes as runs (a header and a value
   * each, at least 1 + ceil(width / 8) bytes) than bit-packed: columns that change at nearly every
   * value (tokens, category, rank) are packed at once, the others are written as runs until those
   * reach the packed size.
   */
  private static boolean probeSuggestsRuns(int[] values, int size, int width) {
    int n = Math.min(size, PROBE);
    int runs = 1;
    for (int i = 1; i < n; i++) {
      runs += values[i] != values[i - 1] ? 1 : 0;
    }
    return (long) runs * (1 + ((width + 7) >>> 3)) * 8 < (long) n * width;
  }

  /**
   * Repetition then definition levels, each RLE-encoded behind a 4-byte length (the v1 page
   * layout): a row of n values is levels (0, 1 x (n-1)) and (1 x n); an empty row is one 0 / 0.
   * Returns the number of empty rows.
   */
  private static int levels(ByteSink sink, int[] lengths, int rows, boolean carried) {
    int at = sink.size();
    sink.putInt(0);
    HybridRle.Levels rep = new HybridRle.Levels(sink, 1);
    int empty = 0;
    for (int r = 0; r < rows; r++) {
      int n = carried ? lengths[r] : 0;
      empty += n == 0 ? 1 : 0;
      rep.add(0, 1);
      rep.add(1, Math.max(0, n - 1));
    }
    rep.flush();
    sink.setInt(at, sink.size() - at - 4);
    at = sink.size();
    sink.putInt(0);
    HybridRle.Levels def = new HybridRle.Levels(sink, 1);
    for (int r = 0; r < rows; r++) {
      int n = carried ? lengths[r] : 0;
      def.add(n == 0 ? 0 : 1, Math.max(1, n));
    }
    def.flush();
    sink.setInt(at, sink.size() - at - 4);
    return empty;
  }
}
