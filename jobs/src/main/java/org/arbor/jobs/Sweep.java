package org.arbor.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.arbor.results.ResultRow;
import org.arbor.results.ResultsTable;
import org.arbor.sweep.CellRunner;
import org.arbor.sweep.ModelCache;
import org.arbor.sweep.SweepCell;
import org.arbor.sweep.SweepPlan;
import org.arbor.sweep.SweepSpec;

/**
 * sweep --config conf/sweeps/X.yaml --out DIR
 * Runs every probe over every checkpoint: one Spark task per (checkpoint, probe group), each
 * writing its rows as one file of the results table at DIR. Cells already in the table are skipped,
 * so a sweep can be extended with new checkpoints, runs or probes and rerun after a failure. DIR must
 * be reachable by every executor (a shared mount on clusters).
 */
public final class Sweep {
  private Sweep() {}

  /** What one sweep did, for the caller's summary. */
  public record Outcome(int cells, int skipped, long rows, long errorRows) {}

  public static Outcome run(String[] argv) throws Exception {
    Args args = new Args("sweep", argv, Set.of());
    Path config = Path.of(args.required("config"));
    Path out = Path.of(args.required("out")).toAbsolutePath();
    args.finish();
    SweepSpec spec = SweepSpec.load(config);
    return run(Sessions.start("arbor-sweep"), spec, out);
  }

  public static Outcome run(SparkSession spark, SweepSpec spec, Path out) throws Exception {
    return run(spark, spec, out, -1);
  }

  /**
   * As {@link #run(SparkSession, SweepSpec, Path)}; test hook: the first attempt of task
   * {@code failTask} fails after writing its file, as a task lost after its output landed.
   */
  static Outcome run(SparkSession spark, SweepSpec spec, Path out, int failTask) throws Exception {
    List<SweepCell> cells = SweepPlan.cells(spec);
    SweepPlan.record(spec, out);
    List<SweepCell> pending = SweepPlan.pending(cells, out);
    System.err.printf("sweep %s: %d cells (%d checkpoints x %d probe groups + loss), %d already in %s%n",
        spec.name, cells.size(), cells.size() / (spec.groups.size() + 1), spec.groups.size(),
        cells.size() - pending.size(), out);
    long rows = 0;
    long errors = 0;
    if (!pending.isEmpty()) {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      String dir = out.toString();
      List<long[]> counts = jsc.parallelize(pending, pending.size())
          .mapPartitions((Iterator<SweepCell> it) -> runCells(spec, dir, it, failTask))
          .collect();
      for (long[] c : counts) {
        rows += c[0];
        errors += c[1];
      }
    }
    System.err.printf("sweep %s: %d rows written, %d error rows; results in %s%n", spec.name, rows, errors, out);
    return new Outcome(cells.size(), cells.size() - pending.size(), rows, errors);
  }

  private static Iterator<long[]> runCells(SweepSpec spec, String dir, Iterator<SweepCell> it, int failTask)
      throws Exception {
    CellRunner runner = new CellRunner(spec, ModelCache.shared());
    List<long[]> out = new ArrayList<>();
    while (it.hasNext()) {
      SweepCell cell = it.next();
      List<ResultRow> rows = runner.run(cell);
      ResultsTable.write(Path.of(dir, cell.fileName()), rows);
      out.add(new long[] {rows.size(), rows.stream().filter(ResultRow::isError).count()});
    }
    TaskContext task = TaskContext.get();
    if (task != null && task.partitionId() == failTask && task.attemptNumber() == 0) {
      throw new IllegalStateException("injected failure after writing, task " + failTask);
    }
    return out.iterator();
  }
}
