package org.arbor.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.arbor.sweep.ModelCache;
import org.arbor.sweep.SweepSpec;

/**
 * bench-sweep --config conf/sweeps/X.yaml [--cores 1,2]
 * Runs the sweep from scratch with embedded Spark on 1, then 2 executor cores (fresh tables in a
 * temporary directory, models loaded cold) and prints checkpoints x probes per minute and the
 * scaling from 1 to 2 cores.
 */
public final class BenchSweep {
  private BenchSweep() {}

  public static void run(String[] argv) throws Exception {
    Args args = new Args("bench-sweep", argv, Set.of());
    SweepSpec spec = SweepSpec.load(Path.of(args.required("config")));
    String[] cores = args.get("cores", "1,2").split(",");
    args.finish();
    Path tmp = Files.createTempDirectory("arbor-bench-sweep");
    double base = 0;
    for (String c : cores) {
      SparkSession spark = SparkSession.builder().appName("arbor-bench-sweep").master("local[" + c + "]")
          .config("spark.ui.enabled", "false").getOrCreate();
      ModelCache.shared().clear();
      long t0 = System.nanoTime();
      Sweep.Outcome o = Sweep.run(spark, spec, tmp.resolve("cores-" + c));
      double minutes = (System.nanoTime() - t0) / 60e9;
      spark.stop();
      int probeCells = o.cells() / (spec.groups.size() + 1) * spec.groups.size();
      long checkpointProbes = (long) o.cells() / (spec.groups.size() + 1) * spec.probes.size();
      double rate = checkpointProbes / minutes;
      if (base == 0) {
        base = rate;
      }
      System.out.printf("%s cores: %d checkpoints x %d probes (%d probe cells) in %.2f min = %.1f checkpoint-probes/min"
          + " (%.2fx the first), %d error rows%n", c, o.cells() / (spec.groups.size() + 1), spec.probes.size(),
          probeCells, minutes, rate, rate / base, o.errorRows());
    }
    System.out.printf("peak resident memory of this process: %s%n", BenchTrain.peakResident());
  }
}
