package org.arbor.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.arbor.corpus.CorpusSpec;
import org.arbor.corpus.Manifest;
import org.arbor.jobs.corpus.CorpusWriter;
import org.arbor.jobs.stats.CorpusStatsJob;
import org.arbor.report.ReportWriter;
import org.arbor.results.ResultsTable;
import org.arbor.sweep.SweepSpec;
import org.arbor.train.CorpusWindows;
import org.arbor.train.TrainConfig;
import org.arbor.train.Trainer;

/**
 * quickstart [--out out/quickstart] [--pcfg conf/corpora/quickstart-pcfg.yaml]
 *            [--ngram conf/corpora/quickstart-ngram.yaml] [--run conf/runs/quickstart.yaml]
 *            [--sweep conf/sweeps/quickstart.yaml] [--overwrite]
 * From corpus to figures: generates a PCFG and an N-gram corpus, trains one model on each with
 * log-spaced checkpoints, runs every probe over every checkpoint and writes the report. Run again,
 * it reuses what is finished (a corpus of the same config, a run's checkpoints, cells in the results
 * table); --overwrite regenerates the corpora.
 */
public final class Quickstart {
  private Quickstart() {}

  public static void run(String[] argv) throws Exception {
    Args args = new Args("quickstart", argv, Set.of("overwrite"));
    Path out = Path.of(args.get("out", "out/quickstart")).toAbsolutePath();
    Map<String, CorpusSpec> corpora = new LinkedHashMap<>();
    corpora.put("pcfg", CorpusSpec.load(Path.of(args.get("pcfg", "conf/corpora/quickstart-pcfg.yaml"))));
    corpora.put("ngram", CorpusSpec.load(Path.of(args.get("ngram", "conf/corpora/quickstart-ngram.yaml"))));
    TrainConfig train = TrainConfig.load(Path.of(args.get("run", "conf/runs/quickstart.yaml")));
    Path sweepFile = Path.of(args.get("sweep", "conf/sweeps/quickstart.yaml"));
    boolean overwrite = args.flag("overwrite");
    args.finish();
    long t0 = System.nanoTime();
    SparkSession spark = Sessions.start("arbor-quickstart");
    int stage = 0;
    for (Map.Entry<String, CorpusSpec> e : corpora.entrySet()) {
      stage("%d/5 corpus %s", ++stage, e.getValue().name);
      corpus(spark, e.getValue(), out.resolve("corpus-" + e.getKey()), overwrite);
    }
    stage("3/5 training %s on each corpus (%d tokens, %d checkpoints)", train.name(), train.totalSteps() * train.tokensPerStep(),
        train.checkpoints());
    for (String kind : corpora.keySet()) {
      System.err.printf("training on the %s corpus -> %s%n", kind, out.resolve("runs/" + kind));
      new Trainer(train, out.resolve("corpus-" + kind), out.resolve("runs/" + kind), CorpusWindows.FACTORY).run(System.err);
    }
    stage("4/5 probes over every checkpoint (%s)", sweepFile);
    List<SweepSpec.RunSource> runs = new ArrayList<>();
    for (String kind : corpora.keySet()) {
      runs.add(new SweepSpec.RunSource("run", out.resolve("runs/" + kind).toString(), kind, Map.of()));
    }
    SweepSpec sweep = SweepSpec.load(sweepFile).withRuns(runs);
    Sweep.run(spark, sweep, out.resolve("results"));
    stage("5/5 report");
    Path report = out.resolve("report");
    // The report is drawn from the results table alone, so redrawing it loses nothing.
    ReportWriter.write(ResultsTable.read(out.resolve("results")), report, true);
    System.out.printf("%nquickstart finished in %.1f min: the report is %s%n", (System.nanoTime() - t0) / 60e9,
        report.resolve("index.html"));
  }

  private static void stage(String format, Object... values) {
    System.err.printf("%n== " + format + " ==%n", values);
  }

  /** Generates the corpus and its statistics, or reuses a finished corpus of the same config. */
  private static void corpus(SparkSession spark, CorpusSpec spec, Path dir, boolean overwrite) throws Exception {
    Path manifest = dir.resolve(Manifest.FILE);
    if (!overwrite && Files.exists(manifest)) {
      ObjectMapper json = new ObjectMapper();
      JsonNode existing = json.readTree(manifest.toFile()).path("config");
      JsonNode wanted = json.readTree(Manifest.write(spec, new Manifest.SplitCounts(0, 0, 0, 0, 0),
          new Manifest.SplitCounts(0, 0, 0, 0, 0))).path("config");
      if (!existing.equals(wanted) || json.readTree(manifest.toFile()).path("seed").asLong() != spec.seed) {
        throw new JobException(dir + " holds another corpus than " + spec.file + "; use --overwrite or another --out");
      }
      System.err.printf("%s is finished: reusing it%n", dir);
      return;
    }
    long t0 = System.nanoTime();
    new CorpusWriter(spark, spec).write(dir.toString(), overwrite);
    double seconds = (System.nanoTime() - t0) / 1e9;
    var report = new CorpusStatsJob(spark, dir.toString()).write(dir.resolve("stats").toString(), true);
    System.err.printf("%s written to %s in %.1f s%n", spec.name, dir, seconds);
    System.err.println(Summary.of(report));
  }
}
