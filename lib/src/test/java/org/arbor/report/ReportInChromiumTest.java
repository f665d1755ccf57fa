package org.arbor.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the report in headless Chromium (Debian's package) and checks that the browser loaded every
 * figure: a copy of index.html with a script that, once the page has loaded, writes how many images
 * have naturalWidth > 0 into the DOM, read back with --dump-dom. Skipped only when Chromium is absent
 * and ARBOR_REQUIRE_ORACLE is unset.
 */
class ReportInChromiumTest {
  static final String CHECK = "<script>window.addEventListener('load', function () {"
      + "var imgs = document.images, ok = 0;"
      + "for (var i = 0; i < imgs.length; i++) { if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++; }"
      + "var p = document.createElement('pre'); p.id = 'img-check';"
      + "p.textContent = 'loaded=' + ok + ' total=' + imgs.length; document.body.appendChild(p);"
      + "});</script>";

  static String chromium() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        if (Files.isExecutable(Path.of(dir, name))) {
          return Path.of(dir, name).toString();
        }
      }
    }
    return null;
  }

  @Test
  void everyFigureLoadsInHeadlessChromium(@TempDir Path tmp) throws Exception {
    String chromium = chromium();
    if (chromium == null) {
      if (System.getenv("ARBOR_REQUIRE_ORACLE") != null) {
        throw new AssertionError("Chromium (Debian package 'chromium') is not installed, and ARBOR_REQUIRE_ORACLE "
            + "is set: .ci/run installs it");
      }
      Assumptions.abort("Chromium is not installed");
    }
    Path dir = tmp.resolve("report");
    List<Figure> figures = ReportWriter.write(ResultsFixture.rows(), dir);
    int panels = figures.stream().mapToInt(f -> f.panels().size()).sum();
    String html = Files.readString(dir.resolve("index.html"));
    Files.writeString(dir.resolve("check.html"), html.replace("</body>", CHECK + "\n</body>"));

    List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + tmp.resolve("profile"), "--virtual-time-budget=10000",
        "--dump-dom", dir.resolve("check.html").toUri().toString()));
    Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve("chromium.log").toFile()).start();
    byte[] dom = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
    String out = new String(dom, StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("<pre id=\"img-check\">loaded=(\\d+) total=(\\d+)</pre>").matcher(out);
    assertTrue(m.find(), "the check ran; chromium exit " + p.exitValue() + ", stderr: "
        + Files.readString(tmp.resolve("chromium.log")));
    assertEquals(panels, Integer.parseInt(m.group(2)), "images on the page");
    assertEquals(panels, Integer.parseInt(m.group(1)), "images the browser decoded");
  }
}
