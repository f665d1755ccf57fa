package org.arbor.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/** Writes small corpus shards with parquet-avro, in the layout and list encoding Spark uses. */
final class ParquetShards {
  private ParquetShards() {}

  /** How a test shard is written. */
  static final class Options {
    boolean threeLevelLists = true;
    boolean nullableTokens;
    boolean withTokens = true;
    /** Ints per row in the extra list column {@code rank} (random, so incompressible). */
    int otherInts;
    long rowGroupBytes = 128L << 20;
    int pageBytes = 1 << 20;

    Options twoLevel() {
      threeLevelLists = false;
      return this;
    }

    Options nullableTokens() {
      nullableTokens = true;
      return this;
    }

    Options noTokens() {
      withTokens = false;
      return this;
    }

    Options other(int ints) {
      otherInts = ints;
      return this;
    }

    Options smallGroups() {
      rowGroupBytes = 2048;
      pageBytes = 256;
      return this;
    }
  }

  static Options options() {
    return new Options();
  }

  static Schema schema(Options o) {
    Schema item = o.nullableTokens ? SchemaBuilder.unionOf().nullType().and().intType().endUnion()
        : Schema.create(Schema.Type.INT);
    SchemaBuilder.FieldAssembler<Schema> f = SchemaBuilder.record("corpus_row").fields()
        .requiredLong("doc_id")
        .requiredInt("num_tokens");
    if (o.withTokens) {
      f = f.name("tokens").type(Schema.createArray(item)).noDefault();
    }
    f = f.name("rank").type(Schema.createArray(Schema.create(Schema.Type.INT))).noDefault();
    return f.endRecord();
  }

  /** Writes one shard, one row per document; a null entry in a document is written as a null token. */
  static void write(Path file, List<Integer[]> documents, Options o) throws IOException {
    Files.createDirectories(file.getParent());
    Configuration conf = new Configuration();
    conf.setBoolean("parquet.avro.write-old-list-structure", !o.threeLevelLists);
    // No .crc side files: shards as a cluster or Spark's committer leaves them.
    conf.setClass("fs.file.impl", RawLocalFileSystem.class, FileSystem.class);
    conf.setBoolean("fs.file.impl.disable.cache", true);
    Schema schema = schema(o);
    Random random = new Random(file.getFileName().toString().hashCode());
    try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(
            HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), conf))
        .withSchema(schema).withConf(conf).withRowGroupSize(o.rowGroupBytes).withPageSize(o.pageBytes)
        .withDictionaryPageSize(o.pageBytes).build()) {
      long id = 0;
      for (Integer[] doc : documents) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("doc_id", id++);
        r.put("num_tokens", doc.length);
        if (o.withTokens) {
          r.put("tokens", new GenericData.Array<>(schema.getField("tokens").schema(), Arrays.asList(doc)));
        }
        List<Integer> other = new ArrayList<>(o.otherInts);
        for (int i = 0; i < o.otherInts; i++) {
          other.add(random.nextInt());
        }
        r.put("rank", new GenericData.Array<>(schema.getField("rank").schema(), other));
        w.write(r);
      }
    }
  }

  static void writeInts(Path file, List<int[]> documents, Options o) throws IOException {
    write(file, documents.stream().map(d -> Arrays.stream(d).boxed().toArray(Integer[]::new)).toList(), o);
  }

  static void writeInts(Path file, List<int[]> documents) throws IOException {
    writeInts(file, documents, options());
  }

  static String part(int n) {
    return String.format("part-%05d.parquet", n);
  }
}
