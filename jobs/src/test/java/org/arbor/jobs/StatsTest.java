package org.arbor.jobs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.arbor.corpus.CorpusSpec;
import org.arbor.jobs.corpus.CorpusWriter;
import org.arbor.jobs.stats.CorpusStatsJob;
import org.arbor.random.Zipf;
import org.arbor.testing.Oracle;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;

/** The stats job against the presets' analytic values, and against pyarrow counting independently. */
public class StatsTest extends SparkTestBase {
  private static Path work;


  @BeforeClass
  public static void makeWorkDir() throws IOException {
    work = Files.createTempDirectory("arbor-stats-test");
  }

  private JsonNode stats(String process, long train, long test, String name) throws IOException {
    CorpusSpec spec = TestCorpora.spec(TestCorpora.write(work.resolve("conf"), name, process, train, test, "shuffled", 2));
    Path corpus = work.resolve(name);
    new CorpusWriter(spark(), spec).write(corpus.toString(), false);
    new CorpusStatsJob(spark(), corpus.toString()).write(corpus.resolve("stats").toString(), false);
    // One table file, its footer the same bytes in every JVM (Spark's writer followed HashSet order).
    try (var files = Files.list(corpus.resolve("stats/table"))) {
      assertEquals(List.of("part-00000.parquet"), files.map(f -> f.getFileName().toString())
          .filter(n -> !n.startsWith(".")).sorted().toList()); // .crc: the local file system's checksums
    }
    assertTrue(org.arbor.testing.ParquetFooters.assertEncodingsInCodeOrder(corpus.resolve("stats/table/part-00000.parquet")) >= 1);
    return new ObjectMapper().readTree(corpus.resolve("stats/stats.json").toFile());
  }

  /** |observed - expected| within 5 binomial standard errors of n draws. */
  private static void assertShare(String what, double expected, double observed, long n) {
    double tolerance = 5 * Math.sqrt(expected * (1 - expected) / n);
    assertEquals(what, expected, observed, tolerance);
  }

  @Test
  public void ukpReleasedPcfgMatchesItsAnalyticValues() throws Exception {
    JsonNode s = stats("grammars/ukp-released.yaml", 300, 20, "ukp").path("splits").path("train");
    long sentences = s.path("sentences").asLong();
    assertEquals(300 * 10 * 16, sentences);
    JsonNode len = s.path("sentence_length_share");
    assertShare("length 4", 2.0 / 3, len.path("4").asDouble(), sentences);
    assertShare("length 8", 1.0 / 6, len.path("8").asDouble(), sentences);
    assertShare("length 12", 1.0 / 6, len.path("12").asDouble(), sentences);
    assertEquals(3, len.size());
    assertShare("VSO", 0.5, s.path("sentence_first_category_share").path("V").asDouble(), sentences);
    double rank1 = 1 / Zipf.harmonic(300, 1.0);
    assertEquals(0.159, rank1, 5e-4);
    for (String c : new String[] {"S", "V", "O"}) {
      JsonNode z = s.path("zipf_by_class").path(c);
      long slots = Math.round(s.path("category_share").path(c).asDouble() * s.path("tokens").asLong());
      assertShare("P(rank 1) of " + c, rank1, z.path("rank1_share").asDouble(), slots);
      assertEquals(1.0, z.path("fitted_exponent").asDouble(), 0.03);
    }
    // Entropy rate given the permutations: structure entropy plus slot entropies per 6-token sentence.
    double structure = -(0.5 * Math.log(0.5) + 3 * (1.0 / 6) * Math.log(1.0 / 6));
    double analytic = (structure + 4.5 * Zipf.entropy(300, 1.0) + 0.5 * Math.log(100)) / 6;
    assertEquals(3.90, analytic, 0.01);
    // Documents are independent given their latents: the standard error comes from their spread.
    Row m = spark().read().parquet(work.resolve("ukp/train").toString())
        .selectExpr("-log_prob / num_tokens as h").agg(org.apache.spark.sql.functions.stddev("h")).first();
    double se = m.getDouble(0) / Math.sqrt(3000);
    assertEquals(analytic, s.path("entropy").path("floor_given_latents_nats_per_token").asDouble(), 5 * se);
  }

  @Test
  public void ngramLengthsAndCountsAgreeWithPyarrow() throws Exception {
    JsonNode report = stats("ngram/ukp-released.yaml", 200, 10, "ngram");
    JsonNode s = report.path("splits").path("train");
    long sentences = s.path("sentences").asLong();
    assertEquals(200 * 16, sentences);
    // Content length 10 + Uniform{0..99}, plus EOS: mean 60.5, variance (100^2 - 1) / 12.
    assertEquals(60.5, s.path("mean_sentence_length").asDouble(), 5 * Math.sqrt((100 * 100 - 1) / 12.0 / sentences));
    assertEquals(100, s.path("sentence_length_share").size());
    double marginal = s.path("entropy").path("marginal_floor_nats_per_token").asDouble();
    double unigram = s.path("entropy").path("unigram_plugin_nats_per_token").asDouble();
    org.junit.Assert.assertTrue("context must help: marginal " + marginal + " < unigram " + unigram, marginal < unigram);
    String script = String.join("\n",
        "import sys, json, collections, pyarrow.parquet as pq",
        "root = sys.argv[1]",
        "st = json.load(open(root + '/stats/stats.json'))",
        "for split in ('train', 'test'):",
        "    d = pq.read_table(root + '/' + split).to_pydict()",
        "    counts = collections.Counter(t for doc in d['tokens'] for t in doc)",
        "    total = sum(counts.values())",
        "    top = st['splits'][split]['top_token_share']",
        "    for tok, share in top.items():",
        "        assert abs(counts[int(tok)] / total - share) < 1e-12, (tok, share)",
        "    assert top['0'] == max(top.values())",
        "sent = {}",
        "for split in ('train', 'test'):",
        "    d = pq.read_table(root + '/' + split).to_pydict()",
        "    out = []",
        "    for toks, sen in zip(d['tokens'], d['sentence']):",
        "        cur = []",
        "        for i, t in enumerate(toks):",
        "            if i > 0 and sen[i] != sen[i - 1]:",
        "                out.append(tuple(cur)); cur = []",
        "            cur.append(t)",
        "        out.append(tuple(cur))",
        "    sent[split] = out",
        "train = set(sent['train'])",
        "seen = sum(1 for x in sent['test'] if x in train) / len(sent['test'])",
        "o = st['train_test_overlap']",
        "assert o['test_sentences'] == len(sent['test']), o",
        "assert abs(o['test_sentences_seen_in_train_share'] - seen) < 1e-12, (o, seen)",
        "t = pq.read_table(root + '/stats/table').to_pydict()",
        "rows = {(a, b, c): v for a, b, c, v in zip(t['split'], t['metric'], t['key'], t['value'])}",
        "assert rows[('train', 'sentences', '')] == st['splits']['train']['sentences']",
        "assert rows[('train', 'entropy', 'marginal_floor_nats_per_token')] == st['splits']['train']['entropy']['marginal_floor_nats_per_token']",
        "print('ok')");
    Assume.assumeTrue("no Python oracle (.venv); .ci/run makes one", Oracle.available());
    assertEquals("ok", Oracle.run(script, work.resolve("ngram").toString()).trim());
  }

  @Test
  public void overlapOfShortSentencesIsCountedExactly() throws Exception {
    // A tiny vocabulary makes test sentences recur in train; pyarrow recounts the overlap independently.
    Path g = work.resolve("conf/tiny-grammar.yaml");
    Files.createDirectories(g.getParent());
    Files.writeString(g, Files.readString(TestCorpora.root().resolve("conf/grammars/ukp-released.yaml"))
        .replace("{ids: [0, 299]}", "{ids: [0, 2]}").replace("{ids: [300, 599]}", "{ids: [3, 5]}")
        .replace("{ids: [600, 899]}", "{ids: [6, 8]}").replace("{ids: [900, 999], distribution: uniform}", "{ids: [9, 9], distribution: uniform}"));
    JsonNode o = stats(g.toString(), 20, 5, "tiny").path("train_test_overlap");
    double share = o.path("test_sentences_seen_in_train_share").asDouble();
    org.junit.Assert.assertTrue("tiny grammar repeats sentences: " + share, share > 0.3 && share < 1);
    String script = String.join("\n",
        "import sys, json, pyarrow.parquet as pq",
        "root = sys.argv[1]",
        "def sentences(split):",
        "    d = pq.read_table(root + '/' + split).to_pydict()",
        "    out = []",
        "    for toks, sec, par, sen in zip(d['tokens'], d['section'], d['paragraph'], d['sentence']):",
        "        cur = []",
        "        for i in range(len(toks)):",
        "            if i > 0 and (sec[i], par[i], sen[i]) != (sec[i-1], par[i-1], sen[i-1]):",
        "                out.append(tuple(cur)); cur = []",
        "            cur.append(toks[i])",
        "        out.append(tuple(cur))",
        "    return out",
        "train = set(sentences('train')); test = sentences('test')",
        "o = json.load(open(root + '/stats/stats.json'))['train_test_overlap']",
        "assert abs(o['test_sentences_seen_in_train_share'] - sum(x in train for x in test) / len(test)) < 1e-12",
        "assert o['distinct_test_sentences'] == len(set(test))",
        "print('ok')");
    Assume.assumeTrue("no Python oracle (.venv); .ci/run makes one", Oracle.available());
    assertEquals("ok", Oracle.run(script, work.resolve("tiny").toString()).trim());
  }
}
