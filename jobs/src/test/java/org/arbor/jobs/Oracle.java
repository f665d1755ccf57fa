package org.arbor.jobs;

import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python script with pyarrow/duckdb as an independent judge of Arbor's files. The
 * interpreter is $ARBOR_PYTHON (made by .ci/run) or the repository's .venv; where neither exists
 * the test is skipped, unless ARBOR_REQUIRE_ORACLE is set (CI), where that is a failure.
 */
public final class Oracle {
  private Oracle() {}

  public static String python() {
    String env = System.getenv("ARBOR_PYTHON");
    Path venv = TestCorpora.root().resolve(".venv/bin/python");
    String py = env != null ? env : Files.isExecutable(venv) ? venv.toString() : null;
    if (py == null && System.getenv("ARBOR_REQUIRE_ORACLE") != null) {
      throw new AssertionError("ARBOR_REQUIRE_ORACLE is set but no Python oracle is installed (.ci/run makes .venv)");
    }
    assumeTrue("no Python oracle (.venv) installed; run .ci/run to make one", py != null);
    return py;
  }

  /** Runs the script with arguments; returns stdout; fails with stderr if it exits non-zero. */
  public static String run(String script, String... args) throws IOException, InterruptedException {
    Path f = Files.createTempFile("arbor-oracle", ".py");
    Files.writeString(f, script);
    List<String> cmd = new ArrayList<>(List.of(python(), f.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("oracle timed out");
    }
    Files.delete(f);
    if (p.exitValue() != 0) {
      throw new AssertionError("oracle failed:\n" + new String(err, StandardCharsets.UTF_8)
          + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
