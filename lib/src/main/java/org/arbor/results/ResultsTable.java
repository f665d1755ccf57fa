package org.arbor.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.arbor.parquet.CanonicalFooter;

/**
 * The results table on disk: a directory of Parquet files with flat columns run, model_kind,
 * checkpoint, step, tokens_seen, probe, layer, head, key, value, error (nullable). Each file is
 * written whole under a temporary name and renamed into place, so readers (pyarrow, DuckDB, Spark,
 * {@link #read}) never see a partial file, and rewriting a file of the same name replaces it.
 * Files whose names start with '.' or '_' are not part of the table.
 */
public final class ResultsTable {
  public static final Schema SCHEMA = SchemaBuilder.record("result").namespace("org.arbor").fields()
      .requiredString("run")
      .requiredString("model_kind")
      .requiredString("checkpoint")
      .requiredLong("step")
      .requiredLong("tokens_seen")
      .requiredString("probe")
      .requiredInt("layer")
      .requiredInt("head")
      .requiredString("key")
      .requiredDouble("value")
      .optionalString("error")
      .endRecord();

  private ResultsTable() {}

  /** Writes rows as one file, atomically (temporary name in the same directory, then rename). */
  public static void write(Path file, List<ResultRow> rows) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Configuration conf = new Configuration();
    // The whole file is held until close so that its footer can be made the same bytes in every JVM.
    try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(new CanonicalFooter(
            HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(tmp.toUri()), conf), true))
        .withSchema(SCHEMA).withConf(conf).withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
      for (ResultRow r : rows) {
        GenericRecord g = new GenericData.Record(SCHEMA);
        g.put("run", r.run());
        g.put("model_kind", r.modelKind());
        g.put("checkpoint", r.checkpoint());
        g.put("step", r.step());
        g.put("tokens_seen", r.tokensSeen());
        g.put("probe", r.probe());
        g.put("layer", r.layer());
        g.put("head", r.head());
        g.put("key", r.key());
        g.put("value", r.value());
        g.put("error", r.error());
        w.write(g);
      }
    }
    // parquet-mr leaves a .crc beside the file; it is not part of the table.
    Files.deleteIfExists(dir.resolve("." + tmp.getFileName() + ".crc"));
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The table's files: *.parquet directly under dir, sorted by name. */
  public static List<Path> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> {
        String n = p.getFileName().toString();
        return n.endsWith(".parquet") && !n.startsWith(".") && !n.startsWith("_");
      }).sorted().toList();
    }
  }

  /** Every row of a table directory (or of one file), in file order. */
  public static List<ResultRow> read(Path dirOrFile) throws IOException {
    List<Path> files = Files.isDirectory(dirOrFile) ? files(dirOrFile) : List.of(dirOrFile);
    List<ResultRow> rows = new ArrayList<>();
    Configuration conf = new Configuration();
    for (Path f : files) {
      try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(
          HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()), conf)).withConf(conf).build()) {
        for (GenericRecord g = r.read(); g != null; g = r.read()) {
          Object error = g.get("error");
          rows.add(new ResultRow(str(g, "run"), str(g, "model_kind"), str(g, "checkpoint"), (Long) g.get("step"),
              (Long) g.get("tokens_seen"), str(g, "probe"), (Integer) g.get("layer"), (Integer) g.get("head"),
              str(g, "key"), (Double) g.get("value"), error == null ? null : error.toString()));
        }
      } catch (RuntimeException e) {
        throw new IOException(f + ": not a results table file: " + e.getMessage(), e);
      }
    }
    return rows;
  }

  private static String str(GenericRecord g, String field) {
    Object v = g.get(field);
    return v == null ? null : v.toString();
  }
}
