package org.arbor.grammar;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.arbor.config.ConfigNode;

/** Loads grammar presets from the repository and grammars written inline in tests. */
final class Presets {
  private Presets() {}

  /** The repository root: $ARBOR_ROOT (set by surefire), else the nearest ancestor holding conf/. */
  static Path root() {
    String env = System.getenv("ARBOR_ROOT");
    if (env != null && Files.isDirectory(Path.of(env, "conf", "grammars"))) {
      return Path.of(env);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("conf").resolve("grammars"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root (conf/grammars); set ARBOR_ROOT");
  }

  static GrammarSpec grammar(String name) {
    return GrammarSpec.load(root().resolve("conf").resolve("grammars").resolve(name + ".yaml"));
  }

  static GrammarSpec parse(String yaml) {
    return new GrammarSpec(ConfigNode.parse("test.yaml", new StringReader(yaml)));
  }
}
