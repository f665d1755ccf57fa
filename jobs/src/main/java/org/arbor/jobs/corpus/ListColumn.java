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
 * stored plain. Each pass is a tight loop over the whole chunk: minimum and maximum (in four
 * independent lanes; the JIT does not vectorise them), then runs are counted only until they show
 * that packing is smaller.
 */
final class ListColumn {
  /** Widest value range that is dictionary-encoded (the dictionary page holds the whole range). */
  static final int MAX_DICTIONARY = 1 << 16;
  /** Values between checks of the run count against its limit. */
  private static final int RUN_BLOCK = 1 << 10;

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
    long packedBytes = ((size + 7L) >>> 3) * width;
    if (runsSmaller(values, size, 2 + ((width + 7) >>> 3), packedBytes)) {
      HybridRle.runLengths(sink, values, 0, size, min, width);
    } else {
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
   * Minimum (high half) and maximum (low half) of values[0, size), size >= 1, in four independent
   * lanes: one running minimum is a chain of dependent instructions, four overlap.
   */
  static long minMax(int[] values, int size) {
    int lo0 = values[0];
    int lo1 = lo0;
    int lo2 = lo0;
    int lo3 = lo0;
    int hi0 = lo0;
    int hi1 = lo0;
    int hi2 = lo0;
    int hi3 = lo0;
    int i = 0;
    for (; i + 4 <= size; i += 4) {
      int a = values[i];
      int b = values[i + 1];
      int c = values[i + 2];
      int d = values[i + 3];
      lo0 = Math.min(lo0, a);
      hi0 = Math.max(hi0, a);
      lo1 = Math.min(lo1, b);
      hi1 = Math.max(hi1, b);
      lo2 = Math.min(lo2, c);
      hi2 = Math.max(hi2, c);
      lo3 = Math.min(lo3, d);
      hi3 = Math.max(hi3, d);
    }
    for (; i < size; i++) {
      lo0 = Math.min(lo0, values[i]);
      hi0 = Math.max(hi0, values[i]);
    }
    int min = Math.min(Math.min(lo0, lo1), Math.min(lo2, lo3));
    int max = Math.max(Math.max(hi0, hi1), Math.max(hi2, hi3));
    return (long) min << 32 | (max & 0xFFFFFFFFL);
  }

  /**
   * Whether runs (at most bytesPerRun each) take fewer bytes than packing: counts value changes
   * block by block and stops as soon as packing is known to win, so a column that changes at
   * nearly every value (tokens, ranks) is scanned only in part.
   */
  private static boolean runsSmaller(int[] values, int size, int bytesPerRun, long packedBytes) {
    long runs = 1;
    for (int from = 1; from < size; from += RUN_BLOCK) {
      int end = Math.min(size, from + RUN_BLOCK);
      int changes = 0;
      for (int i = from; i < end; i++) {
        int d = values[i] ^ values[i - 1];
        changes += (d | -d) >>> 31;
      }
      runs += changes;
      if (runs * bytesPerRun >= packedBytes) {
        return false;
      }
    }
    return true;
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
