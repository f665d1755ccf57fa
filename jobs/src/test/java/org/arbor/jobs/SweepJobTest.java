package org.arbor.jobs;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.arbor.results.ResultRow;
import org.arbor.results.ResultsTable;
import org.arbor.sweep.SweepFixture;
import org.arbor.sweep.SweepSpec;
import org.junit.Test;

/** The sweep job on Spark: retried tasks add no rows, finished cells are skipped, reruns give the same bytes. */
public class SweepJobTest extends SparkTestBase {
  @Test
  public void retriedTasksAndRerunsLeaveOneCopyOfEachCell() throws Exception {
    Path dir = Files.createTempDirectory("arbor-sweep-test");
    SweepSpec spec = SweepSpec.load(SweepFixture.write(dir));
    Path out = dir.resolve("results");
    Sweep.Outcome first = Sweep.run(spark(), spec, out, 1);
    assertEquals(8, first.cells());
    assertEquals(0, first.skipped());
    List<ResultRow> rows = ResultsTable.read(out);
    // Loss: 3 rows at steps 2, 4, 8 and 6 (train, held-out, floor); probe: 1 row or 1 error row per checkpoint.
    assertEquals(4 * 3 + 4, rows.size());
    assertEquals("one row per (step, probe, key)", rows.size(),
        rows.stream().map(r -> r.step() + r.probe() + r.key()).collect(Collectors.toSet()).size());
    assertEquals(2, rows.stream().filter(ResultRow::isError).count());
    assertEquals(first.rows(), rows.size());

    List<Path> files = ResultsTable.files(out);
    byte[] before = Files.readAllBytes(files.get(3));
    Files.delete(files.get(3));
    Sweep.Outcome again = Sweep.run(spark(), spec, out, -1);
    assertEquals(7, again.skipped());
    assertArrayEquals("a cell's file is a function of the sweep", before, Files.readAllBytes(files.get(3)));
    assertEquals(rows.size(), ResultsTable.read(out).size());
  }
}
