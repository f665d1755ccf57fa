package org.arbor.jobs.corpus;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes one corpus shard straight through parquet-mr. Spark's own writer spends most of its time
 * per list element (a record group and a dictionary lookup for each value of the eight per-token
 * arrays); here the arrays are two-level lists (repeated int32 under a LIST group, which pyarrow,
 * DuckDB and Spark all read) and only the token column is dictionary-encoded. The schema is the
 * corpus schema of the README, column for column.
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
      list("tokens", "int32", ""),
      list("category", "int32", " (INTEGER(16,true))"),
      list("rank", "int32", ""),
      list("section", "int32", " (INTEGER(16,true))"),
      list("paragraph", "int32", " (INTEGER(16,true))"),
      list("sentence", "int32", " (INTEGER(16,true))"),
      list("clause", "int32", " (INTEGER(16,true))"),
      list("ngram_order", "int32", " (INTEGER(16,true))"),
      "}"));

  private static String list(String name, String type, String annotation) {
    return "  required group " + name + " (LIST) { repeated " + type + " element" + annotation + "; }";
  }

  private ShardWriter() {}

  /** Writes rows (already in stream order) to file, replacing a copy left by a failed attempt. */
  static long[] write(Configuration conf, Path file, Iterator<CorpusRow> rows, long fixedPoint) throws IOException {
    long docs = 0;
    long tokens = 0;
    long logProb = 0;
    try (ParquetWriter<CorpusRow> w = new Builder(HadoopOutputFile.fromPath(file, conf))
        .withConf(conf)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withCompressionCodec(CompressionCodecName.ZSTD)
        .withDictionaryEncoding(false)
        .withDictionaryEncoding("tokens.element", true)
        .build()) {
      while (rows.hasNext()) {
        CorpusRow r = rows.next();
        w.write(r);
        docs++;
        tokens += r.getNumTokens();
        logProb += Math.round(r.getLogProb() * fixedPoint);
      }
    }
    return new long[] {docs, tokens, logProb};
  }

  private static final class Builder extends ParquetWriter.Builder<CorpusRow, Builder> {
    Builder(org.apache.parquet.io.OutputFile file) {
      super(file);
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<CorpusRow> getWriteSupport(Configuration conf) {
      return new RowWriteSupport();
    }
  }

  private static final class RowWriteSupport extends WriteSupport<CorpusRow> {
    private RecordConsumer out;

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(SCHEMA, new HashMap<>());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      out = recordConsumer;
    }

    @Override
    public void write(CorpusRow r) {
      out.startMessage();
      longField("doc_id", 0, r.getDocId());
      longField("base_doc_id", 1, r.getBaseDocId());
      out.startField("repetition", 2);
      out.addInteger(r.getRepetition());
      out.endField("repetition", 2);
      out.startField("split", 3);
      out.addBinary(Binary.fromString(r.getSplit()));
      out.endField("split", 3);
      longField("order_key", 4, r.getOrderKey());
      out.startField("num_tokens", 5);
      out.addInteger(r.getNumTokens());
      out.endField("num_tokens", 5);
      out.startField("log_prob", 6);
      out.addDouble(r.getLogProb());
      out.endField("log_prob", 6);
      ints("tokens", 7, r.getTokens());
      shorts("category", 8, r.getCategory());
      ints("rank", 9, r.getRank());
      shorts("section", 10, r.getSection());
      shorts("paragraph", 11, r.getParagraph());
      shorts("sentence", 12, r.getSentence());
      shorts("clause", 13, r.getClause());
      shorts("ngram_order", 14, r.getNgramOrder());
      out.endMessage();
    }

    private void longField(String name, int index, long v) {
      out.startField(name, index);
      out.addLong(v);
      out.endField(name, index);
    }

    private void ints(String name, int index, int[] values) {
      out.startField(name, index);
      out.startGroup();
      if (values.length > 0) {
        out.startField("element", 0);
        for (int v : values) {
          out.addInteger(v);
        }
        out.endField("element", 0);
      }
      out.endGroup();
      out.endField(name, index);
    }

    private void shorts(String name, int index, short[] values) {
      out.startField(name, index);
      out.startGroup();
      if (values.length > 0) {
        out.startField("element", 0);
        for (short v : values) {
          out.addInteger(v);
        }
        out.endField("element", 0);
      }
      out.endGroup();
      out.endField(name, index);
    }
  }
}
