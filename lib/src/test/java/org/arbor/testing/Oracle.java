package org.arbor.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python script (pyarrow, duckdb, torch, transformers) as an independent judge of Arbor's
 * files. The interpreter is $ARBOR_PYTHON (made by .ci/run) or the repository's .venv. Where neither
 * exists {@link #available()} is false and tests skip themselves, unless ARBOR_REQUIRE_ORACLE is set
 * (CI), where a missing oracle is a failure.
 */
public final class Oracle {
  private Oracle() {}

  /** The repository root: $ARBOR_ROOT (set by surefire) or the nearest parent holding conf/grammars. */
  public static Path root() {
    String env = System.getenv("ARBOR_ROOT");
    Path p = env != null ? Path.of(env) : Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("conf/grammars"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the repository's conf/ directory");
    }
    return p;
  }

  private static String python() {
    String env = System.getenv("ARBOR_PYTHON");
    Path venv = root().resolve(".venv/bin/python");
    return env != null ? env : Files.isExecutable(venv) ? venv.toString() : null;
  }

  public static boolean available() {
    if (python() == null && System.getenv("ARBOR_REQUIRE_ORACLE") != null) {
      throw new AssertionError("ARBOR_REQUIRE_ORACLE is set but no Python oracle is installed (.ci/run makes .venv)");
    }
    return python() != null;
  }

  /** Runs the script with arguments; returns stdout; fails with stderr if it exits non-zero. */
  public static String run(String script, String... args) throws IOException, InterruptedException {
    if (!available()) {
      throw new IllegalStateException("no Python oracle; check Oracle.available() first");
    }
    Path f = Files.createTempFile("arbor-oracle", ".py");
    Files.writeString(f, script);
    List<String> cmd = new ArrayList<>(List.of(python(), f.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(600, TimeUnit.SECONDS)) {
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
