package org.arbor.jobs;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.arbor.report.Figure;
import org.arbor.report.Figures;
import org.arbor.report.ReportWriter;
import org.arbor.results.ResultRow;
import org.arbor.results.ResultsTable;

/**
 * report --results DIR [--out out/report] [--overwrite]
 * Draws the figures of a results table (org.arbor.report.Figures) into OUT/index.html with PNG and
 * SVG files under OUT/figures; no Spark. An existing report is replaced only with --overwrite.
 */
public final class Report {
  private Report() {}

  public static void run(String[] argv) throws Exception {
    Args args = new Args("report", argv, Set.of("overwrite"));
    Path results = Path.of(args.required("results"));
    Path out = Path.of(args.get("out", "out/report"));
    boolean overwrite = args.flag("overwrite");
    args.finish();
    if (ResultsTable.files(results).isEmpty() && !Files.isRegularFile(results)) {
      throw new JobException(results + ": no results table here (no *.parquet files)");
    }
    List<ResultRow> rows = ResultsTable.read(results);
    List<Figure> figures;
    try {
      figures = ReportWriter.write(rows, out, overwrite);
    } catch (FileAlreadyExistsException e) {
      throw new JobException(e.getMessage(), e);
    }
    System.out.printf("report: %d rows, %d figures, %d error rows -> %s%n", rows.size(), figures.size(),
        Figures.errors(rows).size(), out.resolve("index.html"));
  }
}
