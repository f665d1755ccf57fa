package org.arbor.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.arbor.corpus.CorpusManifest;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, as a newcomer runs it: submit/local.sh starts a job from the
 * packaged jars with embedded Spark (here: generate a small corpus), and a bad option exits
 * non-zero with a message.
 */
class LauncherIT {
  @Test
  void localLauncherGeneratesACorpusAndRejectsABadOption() throws Exception {
    Path root = TestCorpora.root();
    Path work = Files.createTempDirectory("arbor-launcher");
    Path corpus = TestCorpora.write(work, "tiny", "grammars/ukp-released.yaml", 20, 2, "shuffled", 2);
    Path out = work.resolve("corpus");
    Process p = new ProcessBuilder(root.resolve("submit/local.sh").toString(), "generate", "--corpus",
        corpus.toString(), "--out", out.toString()).redirectErrorStream(true)
        .redirectOutput(work.resolve("log.txt").toFile()).start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "local.sh did not finish");
    String log = Files.readString(work.resolve("log.txt"));
    assertEquals(0, p.exitValue(), log);
    assertTrue(!log.contains("building Arbor"), "the build's jars and classpath were used as they are:\n" + log);
    assertEquals(200, CorpusManifest.read(out).split("train").documents()); // 20 base documents x 10 repetitions

    Process bad = new ProcessBuilder(root.resolve("submit/local.sh").toString(), "generate", "--corpus",
        corpus.toString(), "--out", out.toString(), "--no-such-option").redirectErrorStream(true)
        .redirectOutput(work.resolve("bad.txt").toFile()).start();
    assertTrue(bad.waitFor(5, TimeUnit.MINUTES));
    assertTrue(bad.exitValue() != 0);
    assertTrue(Files.readString(work.resolve("bad.txt")).contains("--no-such-option"),
        Files.readString(work.resolve("bad.txt")));
  }
}
