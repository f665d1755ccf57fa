package org.arbor.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.arbor.results.ResultRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
  @TempDir
  Path tmp;

  static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void writesEveryFigureAsPngAndSvgWithIndexAndErrorTable() throws Exception {
    Path dir = tmp.resolve("report");
    List<Figure> figures = ReportWriter.write(ResultsFixture.rows(), dir);
    TreeSet<String> expected = new TreeSet<>();
    expected.add("index.html");
    int panels = 0;
    for (Figure f : figures) {
      for (Panel p : f.panels()) {
        expected.add("figures/" + p.id() + ".png");
        expected.add("figures/" + p.id() + ".svg");
        panels++;
      }
    }
    // 11 figures: loss, induction, icl (2 kinds each), structure (PCFG only), 7 heatmaps x 2 runs.
    assertEquals(11, figures.size());
    assertEquals(3 * 2 + 1 + 7 * 2, panels);
    assertEquals(List.copyOf(expected), files(dir));
    assertFalse(Files.list(tmp).anyMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary left");
    var png = ImageIO.read(dir.resolve("figures/loss-pcfg.png").toFile());
    assertEquals(Figures.WIDTH, png.getWidth());
    assertEquals(Figures.HEIGHT, png.getHeight());
    assertTrue(Files.readString(dir.resolve("figures/loss-pcfg.svg")).contains("<svg"));

    String html = Files.readString(dir.resolve("index.html"));
    Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    List<String> imgs = new ArrayList<>();
    while (m.find()) {
      imgs.add(m.group(1));
    }
    assertEquals(panels, imgs.size());
    for (String src : imgs) {
      assertTrue(Files.isRegularFile(dir.resolve(src)), src);
    }
    for (Figure f : figures) {
      assertTrue(html.contains("<figcaption>" + Html.escape(f.caption()) + "</figcaption>"), f.id());
    }
    assertTrue(html.contains("<td>" + ResultsFixture.ERROR + "</td>"), "error rows are listed");
  }

  @Test
  void sameRowsGiveTheSameBytesWhateverTheirOrder() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    List<ResultRow> rows = ResultsFixture.rows();
    List<ResultRow> reversed = new ArrayList<>(rows);
    java.util.Collections.reverse(reversed);
    ReportWriter.write(rows, a);
    ReportWriter.write(reversed, b);
    assertEquals(files(a), files(b));
    for (String f : files(a)) {
      assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
    }
  }

  @Test
  void refusesToOverwriteUnlessAskedAndNeverReplacesOtherDirectories() throws Exception {
    Path dir = tmp.resolve("report");
    List<ResultRow> rows = ResultsFixture.rows();
    ReportWriter.write(rows, dir);
    assertThrows(FileAlreadyExistsException.class, () -> ReportWriter.write(rows, dir));
    List<ResultRow> lossOnly = rows.stream().filter(r -> r.probe().equals("loss")).toList();
    ReportWriter.write(lossOnly, dir, true);
    assertEquals(List.of("figures/loss-ngram.png", "figures/loss-ngram.svg", "figures/loss-pcfg.png",
        "figures/loss-pcfg.svg", "index.html"), files(dir));
    assertTrue(Files.readString(dir.resolve("index.html")).contains("None: every probe ran."));

    Path other = Files.createDirectories(tmp.resolve("notes"));
    Files.writeString(other.resolve("index.html"), "<html>mine</html>");
    IOException e = assertThrows(IOException.class, () -> ReportWriter.write(rows, other, true));
    assertTrue(e.getMessage().contains("not an Arbor report"), e.getMessage());
    assertEquals("<html>mine</html>", Files.readString(other.resolve("index.html")));
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of("notes", "report"), s.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary or old copy is left beside the report");
    }
  }
}
