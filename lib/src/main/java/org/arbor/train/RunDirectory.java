package org.arbor.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A run's output directory: run.json (what is trained on what), metrics.csv, and
 * checkpoints/step-N/ directories, each complete once renamed into place. Opening a directory of
 * another run (a different run.json) is refused with the differences listed.
 */
public final class RunDirectory {
  public static final String RUN_FILE = "run.json";
  public static final String METRICS = "metrics.csv";
  public static final String CHECKPOINTS = "checkpoints";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final Path dir;

  private RunDirectory(Path dir) {
    this.dir = dir;
  }

  /** Creates or reopens a run directory for the given run description. */
  public static RunDirectory open(Path dir, Map<String, Object> run) throws IOException {
    JsonNode wanted = JSON.valueToTree(run);
    Path file = dir.resolve(RUN_FILE);
    if (Files.exists(file)) {
      JsonNode existing = JSON.readTree(file.toFile());
      List<String> diffs = new ArrayList<>();
      diff("", existing, wanted, diffs);
      if (!diffs.isEmpty()) {
        throw new IllegalArgumentException(file + ": the directory holds another run; refusing to resume with a"
            + " changed config. Differences (existing -> requested): " + String.join("; ", diffs));
      }
    } else {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          if (s.findAny().isPresent()) {
            throw new IllegalArgumentException(dir + ": directory is not empty and holds no " + RUN_FILE
                + " (not an Arbor run); refusing to write into it");
          }
        }
      }
      Files.createDirectories(dir.resolve(CHECKPOINTS));
      Path tmp = dir.resolve("." + RUN_FILE + ".tmp");
      Files.writeString(tmp, JSON.writeValueAsString(wanted) + "\n");
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    return new RunDirectory(dir);
  }

  private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
    if (a.isObject() && b.isObject()) {
      List<String> keys = new ArrayList<>();
      for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
        keys.add(it.next());
      }
      for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!keys.contains(k)) {
          keys.add(k);
        }
      }
      for (String k : keys) {
        diff(path.isEmpty() ? k : path + "." + k, a.path(k), b.path(k), out);
      }
    } else if (!a.equals(b)) {
      out.add(path + ": " + (a.isMissingNode() ? "(none)" : a) + " -> " + (b.isMissingNode() ? "(none)" : b));
    }
  }

  public Path path() {
    return dir;
  }

  public Path checkpoint(long step) {
    return dir.resolve(CHECKPOINTS).resolve("step-" + step);
  }

  /** The highest step with a complete checkpoint, or 0. */
  public long latestStep() throws IOException {
    long best = 0;
    try (Stream<Path> s = Files.list(dir.resolve(CHECKPOINTS))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String n = p.getFileName().toString();
        if (n.matches("step-\\d+") && Files.exists(p.resolve(TrainerState.FILE))) {
          best = Math.max(best, Long.parseLong(n.substring(5)));
        }
      }
    }
    return best;
  }
}
