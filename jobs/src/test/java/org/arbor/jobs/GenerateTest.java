package org.arbor.jobs;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.arbor.corpus.CorpusSpec;
import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentSampler;
import org.arbor.jobs.corpus.CorpusWriter;
import org.arbor.testing.Oracle;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;

/** The generate job on Spark: determinism across partitionings and retries, safe output. */
public class GenerateTest extends SparkTestBase {
  private static Path work;


  @BeforeClass
  public static void makeWorkDir() throws IOException {
    work = Files.createTempDirectory("arbor-generate-test");
  }

  private CorpusSpec pcfg(String placement) throws IOException {
    return TestCorpora.spec(TestCorpora.write(work.resolve("conf"), "t-" + placement, "grammars/ukp-released.yaml",
        30, 4, placement, 3));
  }

  private Path generate(CorpusSpec spec, String name, int partitions, int failPartition) {
    Path out = work.resolve(name);
    new CorpusWriter(spark(), spec).partitions(partitions).failFirstAttemptOfPartition(failPartition)
        .write(out.toString(), false);
    return out;
  }

  private Dataset<Row> split(Path corpus, String split) {
    return spark().read().parquet(corpus.resolve(split).toString()).orderBy("order_key");
  }

  @Test
  public void sameDatasetForAnyPartitioningAndAfterARetry() throws IOException {
    for (String placement : List.of("shuffled", "adjacent")) {
      CorpusSpec spec = pcfg(placement);
      Path one = generate(spec, placement + "-p1", 1, -1);
      for (int partitions : new int[] {3, 7}) {
        Path other = generate(spec, placement + "-p" + partitions, partitions, -1);
        for (String s : CorpusWriter.SPLITS) {
          assertDatasetEquals(split(one, s), split(other, s));
          assertArrayEquals("shard bytes differ: " + s, Files.readAllBytes(one.resolve(s + "/part-00000.parquet")),
              Files.readAllBytes(other.resolve(s + "/part-00000.parquet")));
        }
        assertEquals(Files.readString(one.resolve("manifest.json")), Files.readString(other.resolve("manifest.json")));
      }
      Path retried = generate(spec, placement + "-retry", 3, 1);
      for (String s : CorpusWriter.SPLITS) {
        assertDatasetEquals(split(one, s), split(retried, s));
      }
    }
  }

  @Test
  public void shardsConcatenateToTheCorpusStream() throws IOException {
    CorpusSpec spec = pcfg("shuffled");
    Path out = generate(spec, "stream", 2, -1);
    long previous = Long.MIN_VALUE;
    long rows = 0;
    for (int shard = 0; shard < 3; shard++) {
      List<Row> keys = spark().read().parquet(out.resolve("train/part-0000" + shard + ".parquet").toString())
          .select("order_key").collectAsList();
      for (Row r : keys) {
        org.junit.Assert.assertTrue("order keys must ascend across shards", r.getLong(0) >= previous);
        previous = r.getLong(0);
        rows++;
      }
    }
    assertEquals(spec.documents("train"), rows);
    // Repetitions share their base document, test documents are whole held-out base documents.
    assertEquals(0, spark().read().parquet(out.resolve("train").toString()).where("base_doc_id < 4").count());
    assertEquals(40, spark().read().parquet(out.resolve("test").toString()).count());
    // The shards went through Arbor's local file system (no chmod forked per file).
    assertEquals(NioLocalFileSystem.class, new org.apache.hadoop.fs.Path(out.toUri())
        .getFileSystem(spark().sparkContext().hadoopConfiguration()).getClass());
  }

  @Test
  public void refusesToOverwriteAndNeverLeavesPartialOutput() throws IOException {
    CorpusSpec spec = pcfg("shuffled");
    Path out = generate(spec, "existing", 2, -1);
    String manifest = Files.readString(out.resolve("manifest.json"));
    JobException e = assertThrows(JobException.class,
        () -> new CorpusWriter(spark(), spec).write(out.toString(), false));
    org.junit.Assert.assertTrue(e.getMessage(), e.getMessage().contains("--overwrite") && e.getMessage().contains(out.toString()));
    new CorpusWriter(spark(), spec).write(out.toString(), true);
    assertEquals(manifest, Files.readString(out.resolve("manifest.json")));

    Path foreign = work.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    e = assertThrows(JobException.class, () -> new CorpusWriter(spark(), spec).write(foreign.toString(), true));
    org.junit.Assert.assertTrue(e.getMessage(), e.getMessage().contains("not a finished Arbor output"));
    assertEquals("mine", Files.readString(foreign.resolve("notes.txt")));

    // A job that fails every attempt leaves neither the target nor a visible temporary.
    Path failed = work.resolve("failed");
    CorpusWriter writer = new CorpusWriter(spark(), spec).partitions(2).failFirstAttemptOfPartition(0);
    writer.failAttempts(4);
    assertThrows(Exception.class, () -> writer.write(failed.toString(), false));
    assertFalse(Files.exists(failed));
    try (Stream<Path> s = Files.list(work)) {
      org.junit.Assert.assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".failed")));
    }
  }

  private static final String[] LISTS = {"tokens", "category", "rank", "section", "paragraph", "sentence", "clause",
      "ngram_order"};

  /**
   * What the corpus must hold, from the sampler itself: per split, each annotation column's sum
   * over all documents, and the full rows of the first documents.
   */
  private static Path expected(CorpusSpec spec, Path file) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    int reps = spec.process.repetitions();
    DocumentSampler sampler = spec.process.newSampler();
    for (String split : CorpusWriter.SPLITS) {
      long[] sums = new long[LISTS.length];
      Map<String, Object> docs = new LinkedHashMap<>();
      long first = spec.firstBaseDocument(split);
      for (long base = first; base < first + spec.baseDocuments(split); base++) {
        for (int rep = 0; rep < reps; rep++) {
          Document d = sampler.sample(spec.seed, base, rep);
          long[][] columns = {ints(d.tokens()), shorts(d.category()), ints(d.rank()), shorts(d.section()),
              shorts(d.paragraph()), shorts(d.sentence()), shorts(d.clause()), shorts(d.order())};
          Map<String, Object> row = new LinkedHashMap<>();
          for (int c = 0; c < LISTS.length; c++) {
            sums[c] += java.util.Arrays.stream(columns[c]).sum();
            row.put(LISTS[c], columns[c]);
          }
          if (docs.size() < 5) {
            docs.put(String.valueOf(base * reps + rep), row);
          }
        }
      }
      Map<String, Object> sumMap = new LinkedHashMap<>();
      for (int c = 0; c < LISTS.length; c++) {
        sumMap.put(LISTS[c], sums[c]);
      }
      out.put(split, Map.of("sums", sumMap, "docs", docs));
    }
    new ObjectMapper().writeValue(file.toFile(), out);
    return file;
  }

  private static long[] ints(int[] a) {
    return java.util.Arrays.stream(a).asLongStream().toArray();
  }

  private static long[] shorts(short[] a) {
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }

  @Test
  public void pyarrowAndDuckdbReadTheCorpus() throws Exception {
    CorpusSpec pcfg = pcfg("shuffled");
    Path pc = generate(pcfg, "oracle-pcfg", 2, -1);
    CorpusSpec ng = TestCorpora.spec(TestCorpora.write(work.resolve("conf"), "t-ngram", "ngram/ukp-released.yaml",
        12, 3, "shuffled", 2));
    Path nc = generate(ng, "oracle-ngram", 2, -1);
    String script = String.join("\n",
        "import sys, json, glob, pyarrow.parquet as pq, duckdb",
        "root, kind, want = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))",
        "lists = " + new ObjectMapper().writeValueAsString(LISTS),
        "m = json.load(open(root + '/manifest.json'))",
        "assert m['schema_version'] == 1 and m['kind'] == kind, m",
        "for split in ('train', 'test'):",
        "    files = sorted(glob.glob(f'{root}/{split}/part-*.parquet'))",
        "    t = pq.read_table(files)",
        "    names = ['doc_id','base_doc_id','repetition','split','order_key','num_tokens','log_prob'] + lists",
        "    assert t.column_names == names, t.column_names",
        "    d = t.to_pydict()",
        "    assert len(d['doc_id']) == m['splits'][split]['documents']",
        "    assert sum(d['num_tokens']) == m['splits'][split]['tokens']",
        "    assert d['order_key'] == sorted(d['order_key']), 'stream order'",
        "    assert set(d['split']) == {split}",
        "    rows = {}",
        "    for i in range(len(d['doc_id'])):",
        "        n = d['num_tokens'][i]",
        "        assert len(d['tokens'][i]) == n and len(d['category'][i]) == n and len(d['sentence'][i]) == n",
        "        assert all(0 <= x < m['vocabulary_size'] for x in d['tokens'][i])",
        "        assert d['doc_id'][i] == d['base_doc_id'][i] * m['repetitions'] + d['repetition'][i]",
        "        if kind == 'pcfg':",
        "            assert len(d['rank'][i]) == n and len(d['clause'][i]) == n and d['ngram_order'][i] == []",
        "        else:",
        "            assert len(d['ngram_order'][i]) == n and d['rank'][i] == []",
        "        rows[str(d['doc_id'][i])] = {c: d[c][i] for c in lists}",
        "    for doc, cols in want[split]['docs'].items():",
        "        assert rows[doc] == cols, (split, doc)",
        "    q = duckdb.sql(f\"select count(*), sum(num_tokens), sum(len(tokens)) from '{root}/{split}/*.parquet'\").fetchone()",
        "    assert q == (m['splits'][split]['documents'], m['splits'][split]['tokens'], m['splits'][split]['tokens']), q",
        "    sums = ', '.join(f'coalesce(sum(list_sum({c})), 0)' for c in lists)",
        "    q = duckdb.sql(f\"select {sums} from '{root}/{split}/*.parquet'\").fetchone()",
        "    assert list(q) == [want[split]['sums'][c] for c in lists], (split, q, want[split]['sums'])",
        "print('ok')");
    Assume.assumeTrue("no Python oracle (.venv); .ci/run makes one", Oracle.available());
    assertEquals("ok", Oracle.run(script, pc.toString(), "pcfg", expected(pcfg, work.resolve("pcfg.json")).toString()).trim());
    assertEquals("ok", Oracle.run(script, nc.toString(), "ngram", expected(ng, work.resolve("ngram.json")).toString()).trim());
  }
}
