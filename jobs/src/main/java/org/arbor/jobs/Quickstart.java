package org.arbor.jobs;

import java.nio.file.Path;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.arbor.corpus.CorpusSpec;
import org.arbor.jobs.corpus.CorpusWriter;
import org.arbor.jobs.stats.CorpusStatsJob;

/**
 * quickstart [--out out/quickstart] [--pcfg conf/corpora/quick-pcfg.yaml]
 *            [--ngram conf/corpora/quick-ngram.yaml] [--overwrite]
 * Generates a small PCFG corpus and a small N-gram corpus and prints their statistics.
 */
public final class Quickstart {
  private Quickstart() {}

  public static void run(String[] argv) {
    Args args = new Args("quickstart", argv, Set.of("overwrite"));
    Path out = Path.of(args.get("out", "out/quickstart"));
    CorpusSpec pcfg = CorpusSpec.load(Path.of(args.get("pcfg", "conf/corpora/quick-pcfg.yaml")));
    CorpusSpec ngram = CorpusSpec.load(Path.of(args.get("ngram", "conf/corpora/quick-ngram.yaml")));
    boolean overwrite = args.flag("overwrite");
    args.finish();
    SparkSession spark = Sessions.start("arbor-quickstart");
    for (CorpusSpec spec : new CorpusSpec[] {pcfg, ngram}) {
      String dir = out.resolve("corpus-" + spec.process.kind()).toString();
      long t0 = System.nanoTime();
      new CorpusWriter(spark, spec).write(dir, overwrite);
      double seconds = (System.nanoTime() - t0) / 1e9;
      var report = new CorpusStatsJob(spark, dir).write(dir + "/stats", overwrite);
      System.out.printf("%n%s written to %s in %.1f s%n", spec.name, dir, seconds);
      System.out.println(Summary.of(report));
    }
  }
}
