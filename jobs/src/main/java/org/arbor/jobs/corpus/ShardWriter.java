package org.arbor.jobs.corpus;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.arbor.corpus.DocumentBuffer;
import org.arbor.corpus.DocumentSampler;
import org.arbor.parquet.CanonicalFooter;

/**
 * Writes one corpus shard: the corpus schema of the README, column for column, as Parquet pages
 * encoded here ({@link ListColumn}, {@link HybridRle}) and laid out by parquet-mr's
 * {@link ParquetFileWriter} (footer, statistics, page checksums, column and offset indexes).
 * Encoding the pages directly instead of through parquet-mr's record API is what makes writing
 * cheaper than sampling: that API costs 20-30 ns for each of a PCFG token's eight values.
 *
 * <p>Rows are buffered until a row group holds {@link #ROW_GROUP_TOKENS} tokens, so memory per
 * writer is bounded (4 bytes per buffered token and carried column: 28 for the PCFG, 16 for the
 * N-gram process). Samplers write documents straight into the
 * row group's {@link DocumentBuffer}, whose columns are then encoded in place: no document is
 * copied. Each column chunk is one ZSTD-compressed page. The bytes depend only on the rows
 * written, in order.
 */
final class ShardWriter {

  static final MessageType SCHEMA = MessageTypeParser.parseMessageType(String.join("\n",
      "message corpus {",
      "  required int64 doc_id;",
      "  required int64 base_doc_id;",
      "  required int32 repetition;",
      "  required binary split (STRING);",
      "  required int64 order_key;",
      "  required int32 num_tokens;",
      "  required double log_prob;",
      list("tokens", ""),
      list("category", " (INTEGER(16,true))"),
      list("rank", ""),
      list("section", " (INTEGER(16,true))"),
      list("paragraph", " (INTEGER(16,true))"),
      list("sentence", " (INTEGER(16,true))"),
      list("clause", " (INTEGER(16,true))"),
      list("ngram_order", " (INTEGER(16,true))"),
      "}"));
  /**
   * Tokens per row group: 16 MB of buffers per writer, pages of a few hundred KB (2^16 measured
   * no faster: the GC's work is the same, the footer larger).
   */
  static final int ROW_GROUP_TOKENS = 1 << 19;
  private static final int SCALARS = 7;

  private static String list(String name, String annotation) {
    return "  required group " + name + " (LIST) { repeated int32 element" + annotation + "; }";
  }

  private final ParquetFileWriter file;
  private final CanonicalFooter output;
  private final List<ColumnDescriptor> columns = SCHEMA.getColumns();
  private final byte[] split;
  private final ListColumn[] lists = new ListColumn[DocumentBuffer.COLUMNS];
  /** The row group's tokens and annotations, one document after another. */
  private final DocumentBuffer rowGroup;
  private final ByteSink sink = new ByteSink();
  private final ByteSink dictionarySink = new ByteSink();
  /** The row group's level blocks for the columns the process carries, and for those it does not. */
  private final ListColumn.Levels carriedLevels = new ListColumn.Levels();
  private final ListColumn.Levels emptyLevels = new ListColumn.Levels();
  /** ZSTD's output, reused: ParquetFileWriter copies a page out before the next one is compressed. */
  private byte[] compressed = new byte[1 << 12];
  /**
   * One native ZSTD context for all pages (making one per page costs more than compressing a small
   * one): level 1, whose strategy (fast) it names again, with matches of at least 7 bytes (6 at
   * level 1) looked up in a 4096-entry table. On the presets' row groups that is 8-17 % less time
   * than plain level 1 (the N-gram tokens: 3.3 against 3.7-3.8 ns per token) for the same size or
   * up to 0.4 % less.
   */
  private final ZstdCompressCtx zstd = new ZstdCompressCtx().setLevel(1).setStrategy(1).setMinMatch(7)
      .setHashLog(12);
  private final long fixedPoint;
  private final int rowGroupTokens;
  private long[] docId = new long[256];
  private long[] baseDocId = new long[256];
  private int[] repetition = new int[256];
  private long[] orderKey = new long[256];
  private int[] numTokens = new int[256];
  private double[] logProb = new double[256];
  /** The columns every row carries ({@link DocumentBuffer#bit} mask: the process's); the others hold empty lists. */
  private final int carried;
  private int rows;
  private long documents;
  private long tokens;
  private long logProbSum;

  /**
   * Creates (or replaces: a retried task rewrites a failed attempt's file) the shard; fixedPoint
   * scales the ln-probabilities summed in {@link #counts()}; carried: the columns of the corpus's
   * process ({@link DocumentSampler#columns()}).
   */
  ShardWriter(Configuration conf, Path path, String split, long fixedPoint, int carried) throws IOException {
    this(conf, path, split, fixedPoint, carried, ROW_GROUP_TOKENS);
  }

  /** With a row group size of its own (tests use small ones to write several row groups). */
  ShardWriter(Configuration conf, Path path, String split, long fixedPoint, int carried, int rowGroupTokens)
      throws IOException {
    this.carried = carried;
    this.rowGroupTokens = rowGroupTokens;
    this.split = split.getBytes(StandardCharsets.UTF_8);
    this.fixedPoint = fixedPoint;
    for (int i = 0; i < lists.length; i++) {
      lists[i] = new ListColumn(columns.get(SCALARS + i).getPrimitiveType());
    }
    rowGroup = new DocumentBuffer(rowGroupTokens + (1 << 12), carried);
    output = new CanonicalFooter(new BufferedOutputFile(path, conf));
    file = new ParquetFileWriter(output, SCHEMA, ParquetFileWriter.Mode.OVERWRITE,
        ROW_GROUP_TOKENS, 0, 64, Integer.MAX_VALUE, true);
    file.start();
  }

  /** Samples document (base, rep) into the row group as row (id, key). */
  void add(long id, long base, int rep, long key, DocumentSampler sampler, long seed) throws IOException {
    if (sampler.columns() != carried) {
      throw new IllegalArgumentException("the sampler writes columns " + Integer.toBinaryString(sampler.columns())
          + ", the shard carries " + Integer.toBinaryString(carried));
    }
    int start = rowGroup.length();
    double logP = sampler.sampleInto(seed, base, rep, rowGroup);
    row(id, base, rep, key, rowGroup.length() - start, logP);
  }

  private void row(long id, long base, int rep, long key, int length, double logP) throws IOException {
    if (rows == docId.length) {
      int c = 2 * rows;
      docId = Arrays.copyOf(docId, c);
      baseDocId = Arrays.copyOf(baseDocId, c);
      repetition = Arrays.copyOf(repetition, c);
      orderKey = Arrays.copyOf(orderKey, c);
      numTokens = Arrays.copyOf(numTokens, c);
      logProb = Arrays.copyOf(logProb, c);
    }
    docId[rows] = id;
    baseDocId[rows] = base;
    repetition[rows] = rep;
    orderKey[rows] = key;
    numTokens[rows] = length;
    logProb[rows] = logP;
    rows++;
    documents++;
    tokens += length;
    logProbSum += Math.round(logP * fixedPoint);
    if (rowGroup.length() >= rowGroupTokens) {
      flush();
    }
  }

  /** Documents, tokens and the fixed-point sum of ln-probabilities written so far. */
  long[] counts() {
    return new long[] {documents, tokens, logProbSum};
  }

  private void flush() throws IOException {
    if (rows == 0) {
      return;
    }
    file.startBlock(rows);
    sink.clear();
    for (int r = 0; r < rows; r++) {
      sink.putLong(docId[r]);
    }
    scalar(0, longStats(0, docId));
    sink.clear();
    for (int r = 0; r < rows; r++) {
      sink.putLong(baseDocId[r]);
    }
    scalar(1, longStats(1, baseDocId));
    sink.clear();
    for (int r = 0; r < rows; r++) {
      sink.putInt(repetition[r]);
    }
    scalar(2, intStats(2, repetition));
    sink.clear();
    for (int r = 0; r < rows; r++) {
      sink.putInt(split.length);
      sink.putBytes(split);
    }
    Statistics<?> splitStats = Statistics.createStats(columns.get(3).getPrimitiveType());
    splitStats.updateStats(Binary.fromConstantByteArray(split));
    scalar(3, splitStats);
    sink.clear();
    for (int r = 0; r < rows; r++) {
      sink.putLong(orderKey[r]);
    }
    scalar(4, longStats(4, orderKey));
    sink.clear();
    for (int r = 0; r < rows; r++) {
      sink.putInt(numTokens[r]);
    }
    scalar(5, intStats(5, numTokens));
    sink.clear();
    Statistics<?> lp = Statistics.createStats(columns.get(6).getPrimitiveType());
    for (int r = 0; r < rows; r++) {
      sink.putLong(Double.doubleToRawLongBits(logProb[r]));
      lp.updateStats(logProb[r]);
    }
    scalar(6, lp);
    carriedLevels.encode(numTokens, rows, true);
    emptyLevels.encode(numTokens, rows, false);
    for (int i = 0; i < lists.length; i++) {
      ListColumn.Levels levels = (carried & DocumentBuffer.bit(i)) != 0 ? carriedLevels : emptyLevels;
      ListColumn.Chunk c = lists[i].encode(rowGroup.column(i), rowGroup.length(), levels, sink, dictionarySink);
      file.startColumn(columns.get(SCALARS + i), c.entries(), CompressionCodecName.ZSTD);
      if (c.dictionarySize() > 0) {
        file.writeDictionaryPage(new DictionaryPage(compress(dictionarySink.array(), dictionarySink.size()),
            dictionarySink.size(), c.dictionarySize(), Encoding.PLAIN_DICTIONARY));
      }
      file.writeDataPage(c.entries(), sink.size(), compress(sink.array(), sink.size()), c.statistics(),
          rows, Encoding.RLE, Encoding.RLE, c.encoding());
      file.endColumn();
    }
    file.endBlock();
    rows = 0;
    rowGroup.clear();
  }

  private Statistics<?> longStats(int column, long[] v) {
    Statistics<?> s = Statistics.createStats(columns.get(column).getPrimitiveType());
    long min = v[0];
    long max = v[0];
    for (int r = 1; r < rows; r++) {
      min = Math.min(min, v[r]);
      max = Math.max(max, v[r]);
    }
    s.updateStats(min);
    s.updateStats(max);
    return s;
  }

  private Statistics<?> intStats(int column, int[] v) {
    Statistics<?> s = Statistics.createStats(columns.get(column).getPrimitiveType());
    int min = v[0];
    int max = v[0];
    for (int r = 1; r < rows; r++) {
      min = Math.min(min, v[r]);
      max = Math.max(max, v[r]);
    }
    s.updateStats(min);
    s.updateStats(max);
    return s;
  }

  /** A required scalar column: the plain values in the sink as one page (no levels). */
  private void scalar(int column, Statistics<?> stats) throws IOException {
    file.startColumn(columns.get(column), rows, CompressionCodecName.ZSTD);
    file.writeDataPage(rows, sink.size(), compress(sink.array(), sink.size()), stats, rows, Encoding.RLE,
        Encoding.RLE, Encoding.PLAIN);
    file.endColumn();
  }

  /**
   * ZSTD (see {@link #zstd}). On bit-packed pages it costs about 1 ns per PCFG token and column
   * (saving 13-30 %) and 3.3 ns per N-gram token on the tokens (saving 70 %: the N-gram tables are
   * steep Zipf laws).
   */
  private BytesInput compress(byte[] bytes, int length) {
    int bound = (int) Zstd.compressBound(length);
    if (compressed.length < bound) {
      compressed = new byte[Math.max(bound, 2 * compressed.length)];
    }
    int n = zstd.compressByteArray(compressed, 0, compressed.length, bytes, 0, length);
    return BytesInput.from(compressed, 0, n);
  }

  /** Writes the last row group and the footer. */
  void finish() throws IOException {
    flush();
    output.holdTail();
    file.end(Map.of());
    zstd.close();
  }

  /** Closes the file without a footer after a failure (the retry or the abort replaces it). */
  void abandon() {
    zstd.close();
    try {
      file.close();
    } catch (IOException | RuntimeException ignored) {
      // the original failure is the one to report
    }
  }
}
