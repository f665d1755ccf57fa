package org.arbor.jobs.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.arbor.corpus.CorpusStatistics;
import org.arbor.grammar.GrammarSpec;
import org.arbor.grammar.LexicalClass;
import org.arbor.grammar.PcfgProcess;
import org.arbor.jobs.corpus.CorpusWriter;
import org.arbor.jobs.corpus.OutputDirectory;

/**
 * Computes a corpus report: per split the counts, length mixes, sentence patterns, Zipf fits of the
 * rank annotations, entropy estimates against the sampler's exact log-probabilities, and the share
 * of test sentences also seen in train. Writes stats.json and a long Parquet table
 * (split, metric, key, value).
 */
public final class CorpusStatsJob {
  public static final String JSON_FILE = "stats.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final SparkSession spark;
  private final CorpusReader corpus;
  private long scoredDocuments = 2000;

  public CorpusStatsJob(SparkSession spark, String corpusDir) {
    this.spark = spark;
    this.corpus = new CorpusReader(spark.sparkContext().hadoopConfiguration(), corpusDir);
  }

  /** About how many documents per split are scored for the marginal (N-gram) entropy floor. */
  public CorpusStatsJob scoredDocuments(long n) {
    scoredDocuments = n;
    return this;
  }

  public Map<String, Object> compute() {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("corpus", corpus.manifest.path("name").asText());
    report.put("kind", corpus.process.kind());
    report.put("process", corpus.process.name());
    Map<String, Object> splits = new LinkedHashMap<>();
    for (String split : CorpusWriter.SPLITS) {
      long docs = corpus.manifest.path("splits").path(split).path("documents").asLong();
      long stride = Math.max(1, docs / Math.max(1, scoredDocuments));
      Dataset<Row> rows = spark.read().parquet(corpus.split(split)).selectExpr(SplitStatistics.COLUMNS);
      CorpusStatistics s = rows.javaRDD()
          .mapPartitions(new SplitStatistics(corpus.process, corpus.seed, stride))
          .reduce(CorpusStatistics::merge);
      splits.put(split, s.report(rankedClasses()));
    }
    report.put("splits", splits);
    report.put("train_test_overlap", overlap());
    return report;
  }

  private Map<String, double[]> rankedClasses() {
    Map<String, double[]> m = new LinkedHashMap<>();
    if (corpus.process instanceof PcfgProcess p) {
      GrammarSpec g = p.grammar();
      for (int c = 0; c < g.classes.size(); c++) {
        LexicalClass lc = g.classes.get(c);
        if (!lc.uniform()) {
          m.put(lc.name(), new double[] {lc.size(), lc.zipfExponent()});
        }
      }
    }
    return m;
  }

  private Map<String, Object> overlap() {
    Dataset<Row> train = hashes("train").distinct();
    Dataset<Row> test = hashes("test");
    long testSentences = test.count();
    long seen = test.join(train, test.col("h1").equalTo(train.col("h1")).and(test.col("h2").equalTo(train.col("h2"))), "left_semi").count();
    Dataset<Row> testDistinct = test.distinct();
    long distinct = testDistinct.count();
    long distinctSeen = testDistinct.join(train, testDistinct.col("h1").equalTo(train.col("h1"))
        .and(testDistinct.col("h2").equalTo(train.col("h2"))), "left_semi").count();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("test_sentences", testSentences);
    m.put("test_sentences_seen_in_train_share", testSentences == 0 ? Double.NaN : (double) seen / testSentences);
    m.put("distinct_test_sentences", distinct);
    m.put("distinct_test_sentences_seen_in_train_share", distinct == 0 ? Double.NaN : (double) distinctSeen / distinct);
    return m;
  }

  private Dataset<Row> hashes(String split) {
    return spark.read().parquet(corpus.split(split)).selectExpr(SentenceHashes.COLUMNS)
        .flatMap(new SentenceHashes(), Encoders.tuple(Encoders.LONG(), Encoders.LONG()))
        .toDF("h1", "h2");
  }

  /** Writes stats.json and table/ (Parquet) into out, committed by rename. */
  public Map<String, Object> write(String out, boolean overwrite) {
    Map<String, Object> report = compute();
    OutputDirectory dir = OutputDirectory.begin(spark.sparkContext().hadoopConfiguration(), out, overwrite, JSON_FILE);
    try {
      List<StatsTable.Stat> rows = new ArrayList<>();
      flatten("", "", report, rows);
      StatsTable.write(spark.sparkContext().hadoopConfiguration(),
          new org.apache.hadoop.fs.Path(dir.path("table"), "part-00000.parquet"), rows);
      dir.writeText(JSON_FILE, JSON.writeValueAsString(report) + "\n");
      dir.commit();
    } catch (Throwable e) {
      dir.abort();
      throw new RuntimeException(e);
    }
    return report;
  }

  /** Numeric leaves as (split, metric path, key, value); split is "" outside splits. */
  private static void flatten(String split, String path, Object node, List<StatsTable.Stat> rows) {
    if (node instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String k = String.valueOf(e.getKey());
        if (path.equals("splits") && split.isEmpty()) {
          flatten(k, "", e.getValue(), rows);
        } else {
          flatten(split, path.isEmpty() ? k : path + "." + k, e.getValue(), rows);
        }
      }
    } else if (node instanceof Number n) {
      int dot = path.lastIndexOf('.');
      String metric = dot < 0 ? path : path.substring(0, dot);
      String key = dot < 0 ? "" : path.substring(dot + 1);
      rows.add(new StatsTable.Stat(split, metric, key, n.doubleValue()));
    }
  }

  public static String toJson(Map<String, Object> report) {
    try {
      return JSON.writeValueAsString(report);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
