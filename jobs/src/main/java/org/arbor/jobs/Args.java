package org.arbor.jobs;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Command-line options of the form --name value and --flag; unknown options are errors. */
public final class Args {
  private final String job;
  private final Map<String, String> values = new HashMap<>();
  private final Set<String> flags = new HashSet<>();
  private final Set<String> used = new HashSet<>();

  public Args(String job, String[] argv, Set<String> knownFlags) {
    this.job = job;
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (!a.startsWith("--")) {
        throw usage("unexpected argument '" + a + "'");
      }
      String name = a.substring(2);
      if (knownFlags.contains(name)) {
        flags.add(name);
      } else if (i + 1 < argv.length) {
        values.put(name, argv[++i]);
      } else {
        throw usage("option --" + name + " needs a value");
      }
    }
  }

  public IllegalArgumentException usage(String problem) {
    return new IllegalArgumentException(job + ": " + problem);
  }

  public String required(String name) {
    used.add(name);
    String v = values.get(name);
    if (v == null) {
      throw usage("missing required option --" + name);
    }
    return v;
  }

  public String get(String name, String fallback) {
    used.add(name);
    return values.getOrDefault(name, fallback);
  }

  public int intValue(String name, int fallback) {
    String v = get(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw usage("option --" + name + " expects an integer, got '" + v + "'");
    }
  }

  public boolean flag(String name) {
    return flags.contains(name);
  }

  /** Fails on options no one asked for (typos). */
  public void finish() {
    for (String k : values.keySet()) {
      if (!used.contains(k)) {
        throw usage("unknown option --" + k);
      }
    }
  }
}
