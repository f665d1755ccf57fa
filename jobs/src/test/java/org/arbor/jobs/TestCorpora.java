package org.arbor.jobs;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.arbor.config.ConfigNode;
import org.arbor.corpus.CorpusSpec;

/** Small corpus configs over the repository's presets, for tests. */
public final class TestCorpora {
  private TestCorpora() {}

  public static Path root() {
    return org.arbor.testing.Oracle.root();
  }

  /** A corpus over a preset (path relative to conf/), as a YAML file written into dir. */
  public static Path write(Path dir, String name, String process, long train, long test, String placement,
      int trainShards) throws IOException {
    String yaml = "name: " + name + "\n"
        + "process: " + root().resolve("conf").resolve(process).toAbsolutePath() + "\n"
        + "seed: 7\n"
        + "base_documents: {train: " + train + ", test: " + test + "}\n"
        + "placement: " + placement + "\n"
        + "shards: {train: " + trainShards + ", test: 1}\n";
    Files.createDirectories(dir);
    Path f = dir.resolve(name + ".yaml");
    Files.writeString(f, yaml);
    return f;
  }

  public static CorpusSpec spec(Path file) {
    return CorpusSpec.load(file);
  }

  public static CorpusSpec parse(String yaml) {
    return new CorpusSpec(ConfigNode.parse("inline.yaml", new StringReader(yaml)), root().resolve("conf/corpora"));
  }
}
