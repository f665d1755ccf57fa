package org.arbor.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.arbor.report.ResultsFixture;
import org.arbor.results.ResultsTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report job: reads a results table, writes the report, refuses to overwrite unless asked. */
class ReportJobTest {
  @TempDir Path dir;

  @Test
  void writesTheReportOnceAndReplacesItOnlyWithOverwrite() throws Exception {
    Path results = dir.resolve("results");
    ResultsTable.write(results.resolve("part-00000.parquet"), ResultsFixture.rows());
    Path out = dir.resolve("report");
    String[] argv = {"--results", results.toString(), "--out", out.toString()};
    Report.run(argv);
    assertTrue(Files.isRegularFile(out.resolve("index.html")));
    assertTrue(Files.isRegularFile(out.resolve("figures/loss-pcfg.svg")));
    JobException e = assertThrows(JobException.class, () -> Report.run(argv));
    assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
    Report.run(new String[] {"--results", results.toString(), "--out", out.toString(), "--overwrite"});
    assertTrue(Files.isRegularFile(out.resolve("figures/geometry-category-ngram-quick-ngram.png")));

    Path empty = Files.createDirectories(dir.resolve("empty"));
    e = assertThrows(JobException.class, () -> Report.run(new String[] {"--results", empty.toString(), "--out",
        dir.resolve("r2").toString()}));
    assertTrue(e.getMessage().contains("no results table"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("r2")));
    IllegalArgumentException u = assertThrows(IllegalArgumentException.class,
        () -> Report.run(new String[] {"--results", results.toString(), "--ot", "x"}));
    assertEquals("report: unknown option --ot", u.getMessage());
  }
}
