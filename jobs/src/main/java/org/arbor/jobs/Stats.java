package org.arbor.jobs;

import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.arbor.jobs.stats.CorpusStatsJob;

/**
 * stats --corpus DIR [--out DIR/stats] [--scored-documents N] [--overwrite]
 * Writes stats.json and a Parquet table of the corpus statistics, and prints the summary.
 */
public final class Stats {
  private Stats() {}

  public static Map<String, Object> run(String[] argv) {
    Args args = new Args("stats", argv, Set.of("overwrite"));
    String corpus = args.required("corpus");
    String out = args.get("out", new Path(corpus, "stats").toString());
    int scored = args.intValue("scored-documents", 2000);
    args.finish();
    SparkSession spark = Sessions.start("arbor-stats");
    Map<String, Object> report = new CorpusStatsJob(spark, corpus).scoredDocuments(scored).write(out, args.flag("overwrite"));
    System.out.println(Summary.of(report));
    return report;
  }
}
