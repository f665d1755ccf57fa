package org.arbor.jobs.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentBuffer;
import org.arbor.corpus.DocumentSampler;
import org.arbor.corpus.ShardReader;
import org.arbor.parquet.CanonicalFooter;
import org.arbor.testing.Oracle;
import org.arbor.testing.ParquetFooters;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ShardWriter's hand-encoded pages read back exactly by three independent decoders: parquet-mr
 * (through parquet-avro), Arbor's ShardReader (tokens) and pyarrow (every column), over documents
 * that exercise each encoding: bit-packed, runs, plain (a range wider than 2^16), negative values,
 * empty lists, an empty document, and several row groups.
 */
class ShardWriterTest {
  private static final Configuration CONF = new Configuration();
  private static final String[] LISTS = {"tokens", "category", "rank", "section", "paragraph", "sentence", "clause",
      "ngram_order"};

  @TempDir
  Path dir;

  private static short[] shorts(Random r, int n, int lo, int hi, int runLength) {
    short[] a = new short[n];
    int v = lo;
    for (int i = 0; i < n; i++) {
      if (i % runLength == 0) {
        v = lo + r.nextInt(hi - lo + 1);
      }
      a[i] = (short) v;
    }
    return a;
  }

  /** N-gram orders as the sampler draws them: 1, 2, 4, ..., 128, and 0 (here at random): a sparse dictionary. */
  private static short[] orders(Random r, int n) {
    short[] a = new short[n];
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(9);
      a[i] = (short) (k == 8 ? 0 : 1 << k);
    }
    return a;
  }

  /** The columns PCFG and N-gram documents carry (the writer takes one set per shard). */
  private static final int PCFG = ((1 << DocumentBuffer.COLUMNS) - 1) & ~DocumentBuffer.bit(DocumentBuffer.ORDER);
  private static final int NGRAM = DocumentBuffer.bit(DocumentBuffer.TOKENS) | DocumentBuffer.bit(DocumentBuffer.CATEGORY)
      | DocumentBuffer.bit(DocumentBuffer.SENTENCE) | DocumentBuffer.bit(DocumentBuffer.ORDER);

  /** Documents of one kind: PCFG rows (hierarchy, no orders) or N-gram rows (orders, no rank or hierarchy). */
  private static List<Document> documents(boolean ngram) {
    List<Document> docs = new ArrayList<>();
    short[] none = new short[0];
    // Token 70000 widens the range past 2^16: that row group's tokens are stored plain.
    docs.add(ngram
        ? new Document(new int[] {5, 70000, 3}, new short[] {0, 1, 2}, new int[0], none, none, new short[] {0, 0, 1},
            none, new short[] {1, 2, 0}, -1.5)
        : new Document(new int[] {5, 70000, 3}, new short[] {0, 1, 2}, new int[] {1, 2, 0}, new short[] {0, 0, -1},
            new short[] {0, 0, -1}, new short[] {0, 0, -1}, new short[] {0, 1, -1}, none, -1.5));
    docs.add(new Document(new int[0], none, new int[0], none, none, none, none, none, 0.0));
    Random r = new Random(ngram ? 12 : 11);
    for (int d = 0; d < 60; d++) {
      int n = 1 + r.nextInt(40);
      int[] tokens = new int[n];
      int[] rank = new int[n];
      for (int i = 0; i < n; i++) {
        tokens[i] = r.nextInt(1001);
        rank[i] = r.nextInt(301);
      }
      docs.add(new Document(tokens, shorts(r, n, 0, 4, 1), ngram ? new int[0] : rank,
          ngram ? none : shorts(r, n, -1, 9, 50), ngram ? none : shorts(r, n, -1, 19, 12),
          shorts(r, n, 0, 15, 6), ngram ? none : shorts(r, n, -1, 2, 3), ngram ? orders(r, n) : none,
          -r.nextDouble() * 100));
    }
    return docs;
  }

  /** A sampler that writes the given document (its columns in mask) whatever it is asked for. */
  private static DocumentSampler replay(Document d, int mask) {
    return new DocumentSampler() {
      @Override
      public double sampleInto(long seed, long baseDocument, int repetition, DocumentBuffer out) {
        out.add(d, mask);
        return d.logProb();
      }

      @Override
      public int columns() {
        return mask;
      }
    };
  }

  private static List<Integer> list(Document d, String column) {
    List<Integer> out = new ArrayList<>();
    switch (column) {
      case "tokens" -> { for (int v : d.tokens()) out.add(v); }
      case "rank" -> { for (int v : d.rank()) out.add(v); }
      default -> {
        short[] a = switch (column) {
          case "category" -> d.category();
          case "section" -> d.section();
          case "paragraph" -> d.paragraph();
          case "sentence" -> d.sentence();
          case "clause" -> d.clause();
          default -> d.order();
        };
        for (short v : a) out.add((int) v);
      }
    }
    return out;
  }

  private org.apache.hadoop.fs.Path write(List<Document> docs, boolean ngram) throws Exception {
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(
        dir.resolve((ngram ? "ngram" : "pcfg") + "-part-00000.parquet").toUri());
    ShardWriter w = new ShardWriter(CONF, file, "train", 1 << 20, ngram ? NGRAM : PCFG, 100);
    for (int i = 0; i < docs.size(); i++) {
      w.add(1000 + i, 500 + i / 2, i % 2, -5_000_000_000L + 7L * i, replay(docs.get(i), ngram ? NGRAM : PCFG), 0);
    }
    w.finish();
    long[] c = w.counts();
    assertEquals(docs.size(), c[0]);
    assertEquals(docs.stream().mapToLong(Document::length).sum(), c[1]);
    return file;
  }

  @Test
  void parquetMrAndShardReaderReadBackEveryValue() throws Exception {
    for (boolean ngram : new boolean[] {false, true}) {
      readBackEveryValue(ngram);
    }
  }

  private void readBackEveryValue(boolean ngram) throws Exception {
    List<Document> docs = documents(ngram);
    org.apache.hadoop.fs.Path file = write(docs, ngram);
    try (ParquetFileReader f = ParquetFileReader.open(HadoopInputFile.fromPath(file, CONF))) {
      assertTrue(f.getRowGroups().size() > 5, "several row groups: " + f.getRowGroups().size());
      assertEquals(ShardWriter.SCHEMA, f.getFooter().getFileMetaData().getSchema());
    }
    try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
        HadoopInputFile.fromPath(file, CONF)).withConf(CONF).build()) {
      for (int i = 0; i < docs.size(); i++) {
        GenericRecord g = reader.read();
        Document d = docs.get(i);
        assertEquals(1000L + i, g.get("doc_id"));
        assertEquals(500L + i / 2, g.get("base_doc_id"));
        assertEquals(i % 2, g.get("repetition"));
        assertEquals("train", g.get("split").toString());
        assertEquals(-5_000_000_000L + 7L * i, g.get("order_key"));
        assertEquals(d.length(), g.get("num_tokens"));
        assertEquals(d.logProb(), (Double) g.get("log_prob"), 0.0);
        for (String c : LISTS) {
          List<Integer> got = new ArrayList<>();
          for (Object o : (List<?>) g.get(c)) {
            got.add(((Number) o).intValue());
          }
          assertEquals(list(d, c), got, "row " + i + " column " + c);
        }
      }
      assertEquals(null, reader.read());
    }
    try (ShardReader reader = ShardReader.open(file, CONF)) {
      for (Document d : docs) {
        assertTrue(reader.nextDocument());
        assertArrayEquals(d.tokens(), java.util.Arrays.copyOf(reader.tokens(), reader.length()));
      }
      assertFalse(reader.nextDocument());
    }
  }

  @Test
  void aDocumentWithOtherColumnsThanTheShardsIsRefused() throws Exception {
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.resolve("mixed.parquet").toUri());
    ShardWriter w = new ShardWriter(CONF, file, "train", 1 << 20, PCFG, 100);
    Document ngram = documents(true).get(2);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> w.add(1, 1, 0, 1, replay(ngram, NGRAM), 0));
    assertTrue(e.getMessage().contains("columns"), e.getMessage());
    w.abandon();
  }

  @Test
  void pyarrowReadsBackEveryValue() throws Exception {
    Assumptions.assumeTrue(Oracle.available(), "no Python oracle (.venv); .ci/run makes one");
    for (boolean ngram : new boolean[] {false, true}) {
      pyarrowReadsBack(ngram);
    }
  }

  private void pyarrowReadsBack(boolean ngram) throws Exception {
    List<Document> docs = documents(ngram);
    org.apache.hadoop.fs.Path file = write(docs, ngram);
    List<Map<String, Object>> expected = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("doc_id", 1000 + i);
      row.put("num_tokens", docs.get(i).length());
      row.put("log_prob", docs.get(i).logProb());
      for (String c : LISTS) {
        row.put(c, list(docs.get(i), c));
      }
      expected.add(row);
    }
    Path json = dir.resolve("expected.json");
    new ObjectMapper().writeValue(json.toFile(), expected);
    String script = String.join("\n",
        "import sys, json, pyarrow.parquet as pq",
        "rows = pq.read_table(sys.argv[1]).to_pylist()",
        "want = json.load(open(sys.argv[2]))",
        "assert len(rows) == len(want), (len(rows), len(want))",
        "for got, w in zip(rows, want):",
        "    for k, v in w.items():",
        "        assert got[k] == v, (w['doc_id'], k, got[k], v)",
        "    assert got['split'] == 'train'",
        "print('ok')");
    assertEquals("ok", Oracle.run(script, file.toUri().getPath(), json.toString()).trim());
  }

  @Test
  void sampledRowGroupsReadBackAsTheSamplersDocuments() throws Exception {
    // The production path: samplers write straight into the row group (several row groups).
    for (String preset : new String[] {"conf/grammars/ukp-released.yaml", "conf/ngram/ukp-released.yaml"}) {
      org.arbor.corpus.DocumentSource p = org.arbor.corpus.CorpusSpec.loadProcess(
          org.arbor.config.ConfigNode.parse("test.yaml", new java.io.StringReader("{}")),
          org.arbor.jobs.TestCorpora.root().resolve(preset));
      org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.resolve("sampled.parquet").toUri());
      int reps = p.repetitions();
      int docs = 400;
      ShardWriter w = new ShardWriter(CONF, file, "train", 1 << 20, p.newSampler().columns(), 12_411);
      DocumentSampler writing = p.newSampler();
      for (int i = 0; i < docs; i++) {
        w.add(i, i / reps, i % reps, i, writing, 9);
      }
      w.finish();
      DocumentSampler sampler = p.newSampler();
      try (ParquetFileReader f = ParquetFileReader.open(HadoopInputFile.fromPath(file, CONF))) {
        assertTrue(f.getRowGroups().size() >= 3, preset + ": row groups " + f.getRowGroups().size());
      }
      try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
          HadoopInputFile.fromPath(file, CONF)).withConf(CONF).build()) {
        for (int i = 0; i < docs; i++) {
          GenericRecord g = reader.read();
          Document d = sampler.sample(9, i / reps, i % reps);
          assertEquals(d.logProb(), (Double) g.get("log_prob"), 0.0);
          for (String c : LISTS) {
            List<Integer> got = new ArrayList<>();
            for (Object o : (List<?>) g.get(c)) {
              got.add(((Number) o).intValue());
            }
            assertEquals(list(d, c), got, preset + " row " + i + " column " + c);
          }
        }
        assertEquals(null, reader.read());
      }
    }
  }

  @Test
  void footerListsEncodingsInCodeOrder() throws Exception {
    Path file = Path.of(write(documents(false), false).toUri());
    byte[] tail = ParquetFooters.tail(file);
    assertTrue(ParquetFooters.assertEncodingsInCodeOrder(file) > 5 * ShardWriter.SCHEMA.getColumns().size());

    // A footer whose lists are reversed (as a HashSet may iterate them) comes back as the file's.
    org.apache.parquet.format.FileMetaData meta = ParquetFooters.footer(tail);
    for (org.apache.parquet.format.RowGroup g : meta.getRow_groups()) {
      for (org.apache.parquet.format.ColumnChunk c : g.getColumns()) {
        java.util.Collections.reverse(c.getMeta_data().getEncodings());
      }
    }
    java.io.ByteArrayOutputStream reversed = new java.io.ByteArrayOutputStream();
    org.apache.parquet.format.Util.writeFileMetaData(meta, reversed);
    reversed.write(tail, tail.length - 8, 8);
    assertFalse(java.util.Arrays.equals(tail, reversed.toByteArray()));
    assertArrayEquals(tail, CanonicalFooter.canonical(reversed.toByteArray()));
  }
}
