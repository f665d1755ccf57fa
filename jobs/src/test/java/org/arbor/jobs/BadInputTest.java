package org.arbor.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arbor.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input stops a job before any output exists, with one line naming file, key and problem. */
class BadInputTest {
  @TempDir Path dir;

  private Path corpus(String body) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, body);
    return f;
  }

  private String fails(String... argv) {
    Path out = dir.resolve("out");
    Exception e = assertThrows(RuntimeException.class, () -> Generate.run(argv));
    assertFalse(Files.exists(out), "no output may appear");
    return e.getMessage();
  }

  @Test
  void namesFileKeyAndProblem() throws Exception {
    String out = dir.resolve("out").toString();
    String grammar = TestCorpora.root().resolve("conf/grammars/ukp-released.yaml").toString();
    String m = fails("--corpus", dir.resolve("missing.yaml").toString(), "--out", out);
    assertTrue(m.contains("missing.yaml") && m.contains("file not found"), m);

    Path c = corpus("name: x\nprocess: nowhere.yaml\nseed: 1\nbase_documents: {train: 1, test: 0}\n");
    m = fails("--corpus", c.toString(), "--out", out);
    assertTrue(m.contains(c.toString()) && m.contains("key 'process'") && m.contains("nowhere.yaml"), m);

    c = corpus("name: x\nprocess: " + grammar + "\nseed: 1\nbase_documents: {train: -5, test: 0}\n");
    m = fails("--corpus", c.toString(), "--out", out);
    assertTrue(m.contains("key 'base_documents.train'") && m.contains("negative"), m);

    c = corpus("name: x\nprocess: " + grammar + "\nseed: 1\nbase_documents: {train: 5, test: 0}\nshuffle: yes\n");
    m = fails("--corpus", c.toString(), "--out", out);
    assertTrue(m.contains("key 'shuffle'") && m.contains("unknown key"), m);

    c = corpus("name: x\nprocess: " + grammar + "\nseed: [1\n");
    m = fails("--corpus", c.toString(), "--out", out);
    assertTrue(m.contains(c.toString()) && m.contains("invalid YAML"), m);

    c = corpus("name: x\nprocess: " + grammar + "\nseed: 1\nbase_documents: {train: 5, test: 0}\n");
    m = fails("--corpus", c.toString(), "--out", out, "--partitons", "3");
    assertTrue(m.contains("unknown option --partitons"), m);
    assertThrows(ConfigException.class, () -> Generate.run(new String[] {"--corpus", dir.resolve("nope").toString(), "--out", out}));
  }

  @Test
  void theLauncherExitsWithCodeTwoAndOneLine() throws Exception {
    Path c = corpus("name: x\nprocess: "
        + TestCorpora.root().resolve("conf/grammars/ukp-released.yaml") + "\nseed: one\nbase_documents: {train: 5, test: 0}\n");
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "org.arbor.jobs.Main", "generate",
        "--corpus", c.toString(), "--out", dir.resolve("out").toString())).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue());
    assertEquals("error: " + c + ": key 'seed': expected an integer, got 'one'", err);
    assertFalse(Files.exists(dir.resolve("out")));
  }
}
