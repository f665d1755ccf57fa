package org.arbor.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.arbor.results.ResultRow;

/**
 * Writes the report of a results table: DIR/index.html with every figure of {@link Figures#all}
 * (each panel as DIR/figures/ID.png, linked to DIR/figures/ID.svg), a table of the runs and a table
 * of the error rows. The same rows give the same bytes. The report is built in a hidden temporary
 * directory beside DIR and renamed into place; an existing report is replaced only when asked, and a
 * directory that is not an Arbor report is never replaced.
 */
public final class ReportWriter {
  /** index.html carries this generator tag; only a directory whose index.html has it may be replaced. */
  static final String GENERATOR = "<meta name=\"generator\" content=\"arbor-report\">";

  private ReportWriter() {}

  /** Writes a new report; fails if DIR exists. */
  public static List<Figure> write(List<ResultRow> rows, Path dir) throws IOException {
    return write(rows, dir, false);
  }

  /** Writes the report and returns its figures; with overwrite, replaces an existing Arbor report. */
  public static List<Figure> write(List<ResultRow> rows, Path dir, boolean overwrite) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    if (Files.exists(target)) {
      if (!overwrite) {
        throw new FileAlreadyExistsException(target + ": a report exists already (replace it with --overwrite)");
      }
      if (!isReport(target)) {
        throw new FileAlreadyExistsException(target + ": exists and is not an Arbor report (no index.html written by arbor); "
            + "not replacing it");
      }
    }
    List<Figure> figures = Figures.all(rows);
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
    try {
      Path figDir = Files.createDirectory(tmp.resolve("figures"));
      for (Figure f : figures) {
        for (Panel p : f.panels()) {
          Files.write(figDir.resolve(p.id() + ".png"), ChartImages.png(p.chart()));
          Files.write(figDir.resolve(p.id() + ".svg"), ChartImages.svg(p.chart()));
        }
      }
      Files.writeString(tmp.resolve("index.html"), html(rows, figures), StandardCharsets.UTF_8);
      if (Files.exists(target)) {
        Path old = Files.createTempDirectory(parent, "." + target.getFileName() + ".old-");
        Files.move(target, old.resolve("report"), StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
      } else {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      deleteTree(tmp);
    }
    return figures;
  }

  static boolean isReport(Path dir) throws IOException {
    Path index = dir.resolve("index.html");
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      if (s.findAny().isEmpty()) {
        return true;
      }
    }
    return Files.isRegularFile(index) && Files.readString(index, StandardCharsets.UTF_8).contains(GENERATOR);
  }

  static String html(List<ResultRow> rows, List<Figure> figures) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n").append(GENERATOR).append('\n')
        .append("<title>Arbor report</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:2em;max-width:1900px}\n")
        .append(".panels{display:flex;flex-wrap:wrap;gap:12px}\n")
        .append("figcaption{margin:.5em 0 2em;max-width:1240px}\n")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}\n")
        .append("</style>\n</head>\n<body>\n<h1>Arbor report</h1>\n");
    runsTable(b, rows);
    b.append("<h2>Figures</h2>\n");
    if (figures.isEmpty()) {
      b.append("<p>The results table has no rows of any probe the report draws.</p>\n");
    } else {
      b.append("<ul>\n");
      for (Figure f : figures) {
        b.append("<li><a href=\"#").append(Html.escape(f.id())).append("\">").append(Html.escape(f.title()))
            .append("</a></li>\n");
      }
      b.append("</ul>\n");
    }
    for (Figure f : figures) {
      b.append("<figure id=\"").append(Html.escape(f.id())).append("\">\n<h3>").append(Html.escape(f.title()))
          .append("</h3>\n<div class=\"panels\">\n");
      for (Panel p : f.panels()) {
        String name = "figures/" + p.id();
        b.append("<a href=\"").append(Html.escape(name)).append(".svg\"><img src=\"").append(Html.escape(name))
            .append(".png\" width=\"").append(Figures.WIDTH).append("\" height=\"").append(Figures.HEIGHT)
            .append("\" alt=\"").append(Html.escape(f.title() + ": " + p.chart().getTitle())).append("\"></a>\n");
      }
      b.append("</div>\n<figcaption>").append(Html.escape(f.caption())).append("</figcaption>\n</figure>\n");
    }
    errorsTable(b, Figures.errors(rows));
    b.append("</body>\n</html>\n");
    return b.toString();
  }

  private static void runsTable(StringBuilder b, List<ResultRow> rows) {
    // run -> kind, checkpoints, rows, error rows
    Map<String, String> kind = new TreeMap<>();
    Map<String, TreeSet<Long>> steps = new TreeMap<>();
    Map<String, int[]> counts = new TreeMap<>();
    for (ResultRow r : rows) {
      kind.put(r.run(), r.modelKind());
      steps.computeIfAbsent(r.run(), k -> new TreeSet<>()).add(r.step());
      int[] c = counts.computeIfAbsent(r.run(), k -> new int[2]);
      c[r.isError() ? 1 : 0]++;
    }
    List<String> runs = new ArrayList<>(kind.keySet());
    runs.sort(Comparator.comparing((String run) -> kind.get(run), ResultIndex::compareKinds)
        .thenComparing(Comparator.naturalOrder()));
    b.append("<h2>Runs</h2>\n<table>\n<tr><th>run</th><th>model kind</th><th>checkpoints</th><th>last step</th>")
        .append("<th>rows</th><th>error rows</th></tr>\n");
    for (String run : runs) {
      int[] c = counts.get(run);
      b.append("<tr><td>").append(Html.escape(run)).append("</td><td>").append(Html.escape(kind.get(run)))
          .append("</td><td>").append(steps.get(run).size()).append("</td><td>").append(steps.get(run).last())
          .append("</td><td>").append(c[0]).append("</td><td>").append(c[1]).append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  private static void errorsTable(StringBuilder b, List<ResultRow> errors) {
    b.append("<h2 id=\"errors\">Error rows</h2>\n");
    if (errors.isEmpty()) {
      b.append("<p>None: every probe ran.</p>\n");
      return;
    }
    b.append("<table class=\"errors\">\n<tr><th>run</th><th>model kind</th><th>step</th><th>tokens seen</th>")
        .append("<th>probe</th><th>error</th></tr>\n");
    for (ResultRow r : errors) {
      b.append("<tr><td>").append(Html.escape(r.run())).append("</td><td>").append(Html.escape(r.modelKind()))
          .append("</td><td>").append(r.step()).append("</td><td>")
          .append(String.format(Locale.ROOT, "%d", r.tokensSeen())).append("</td><td>").append(Html.escape(r.probe()))
          .append("</td><td>").append(Html.escape(r.error())).append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
