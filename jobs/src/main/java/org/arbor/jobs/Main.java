package org.arbor.jobs;

import java.util.Arrays;
import org.arbor.config.ConfigException;

/** Dispatches "job [options]" to a job's main; prints problems without a stack trace, exits 2. */
public final class Main {
  private Main() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0) {
      System.err.println("usage: arbor <quickstart|generate|stats|train|sweep|report|bench-generate|bench-train|bench-sweep|bench-olmo> [options]");
      System.exit(2);
    }
    String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
    try {
      switch (argv[0]) {
        case "generate" -> Generate.run(rest);
        case "stats" -> Stats.run(rest);
        case "quickstart" -> Quickstart.run(rest);
        case "train" -> Train.run(rest);
        case "sweep" -> Sweep.run(rest);
        case "bench-generate" -> BenchGenerate.run(rest);
        case "bench-train" -> BenchTrain.run(rest);
        case "bench-sweep" -> BenchSweep.run(rest);
        case "bench-olmo" -> BenchOlmo.run(rest);
        case "report" -> Report.run(rest);
        default -> throw new IllegalArgumentException("unknown job '" + argv[0] + "'");
      }
    } catch (ConfigException | IllegalArgumentException | JobException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
  }
}
