package org.arbor.jobs.stats;

import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.arbor.parquet.CanonicalFooter;

/**
 * The stats report as a long table (split, metric, key, value), one Parquet file written on the
 * driver: the table is small, and written this way (through {@link CanonicalFooter}) its bytes are
 * the same in every run, as stats.json's are. Spark's own writer made them differ from run to run.
 */
final class StatsTable {
  /** One number of the report: split ("" outside splits), metric path, key within it, value. */
  record Stat(String split, String metric, String key, double value) {}

  static final Schema SCHEMA = SchemaBuilder.record("stats").namespace("org.arbor").fields()
      .requiredString("split")
      .requiredString("metric")
      .requiredString("key")
      .requiredDouble("value")
      .endRecord();

  private StatsTable() {}

  /** Writes the rows, in order, as the Parquet file at file (on any Hadoop file system). */
  static void write(Configuration conf, Path file, List<Stat> rows) throws IOException {
    try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(
            new CanonicalFooter(HadoopOutputFile.fromPath(file, conf), true))
        .withSchema(SCHEMA).withConf(conf).withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
      for (Stat s : rows) {
        GenericRecord g = new GenericData.Record(SCHEMA);
        g.put("split", s.split());
        g.put("metric", s.metric());
        g.put("key", s.key());
        g.put("value", s.value());
        w.write(g);
      }
    }
  }
}
