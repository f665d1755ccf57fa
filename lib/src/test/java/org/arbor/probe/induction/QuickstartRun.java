package org.arbor.probe.induction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.arbor.testing.Oracle;

/**
 * The quickstart's trained PCFG run and its corpus (README: submit/local.sh quickstart, then train
 * conf/runs/quick.yaml), under $ARBOR_OUT or the repository's out/. Tests that need them skip where
 * they have not been made.
 */
public final class QuickstartRun {
  private QuickstartRun() {}

  public static Path out() {
    String env = System.getenv("ARBOR_OUT");
    return env != null ? Path.of(env) : Oracle.root().resolve("out");
  }

  public static Path corpus() {
    return out().resolve("quickstart/corpus-pcfg");
  }

  /** The checkpoint with the highest step, or null when the run or its corpus is missing. */
  public static Path lastCheckpoint() throws IOException {
    Path dir = out().resolve("runs/quick-pcfg/checkpoints");
    if (!Files.isDirectory(dir) || !Files.isRegularFile(corpus().resolve("manifest.json"))) {
      return null;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("step-\\d+"))
          .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(5))))
          .orElse(null);
    }
  }
}
