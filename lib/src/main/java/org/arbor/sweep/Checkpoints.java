package org.arbor.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.arbor.train.RunDirectory;
import org.arbor.train.TrainerState;

/**
 * The checkpoints of Arbor runs: {@code RUN/checkpoints/step-N} directories (complete ones only:
 * the trainer renames a checkpoint into place when it is whole), with the step and tokens seen from
 * trainer_state.json and the corpus from run.json.
 */
public final class Checkpoints {
  private static final Pattern STEP = Pattern.compile("step-(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A checkpoint of an Arbor run. */
  public record Found(String run, Path runDir, Path checkpoint, long step, long tokensSeen, String corpus) {}

  private Checkpoints() {}

  /** Every checkpoint of a run directory, by step. */
  public static List<Found> ofRun(Path runDir, String name) throws IOException {
    Path runFile = runDir.resolve(RunDirectory.RUN_FILE);
    if (!Files.isRegularFile(runFile)) {
      throw new IllegalArgumentException(runDir + ": not an Arbor run directory (no " + RunDirectory.RUN_FILE + ")");
    }
    String corpus = corpusOf(runFile);
    String run = name == null || name.isEmpty() ? runDir.getFileName().toString() : name;
    List<Found> out = new ArrayList<>();
    Path dir = runDir.resolve(RunDirectory.CHECKPOINTS);
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Matcher m = STEP.matcher(p.getFileName().toString());
        if (m.matches() && Files.isDirectory(p)) {
          out.add(found(run, runDir, p, Long.parseLong(m.group(1)), corpus));
        }
      }
    }
    out.sort(Comparator.comparingLong(Found::step));
    return out;
  }

  /**
   * Checkpoint directories matching a glob (absolute, e.g. /x/runs/STAR/checkpoints/step-STAR); each must sit
   * in a run directory's checkpoints folder. Sorted by run, then step.
   */
  public static List<Found> ofGlob(String glob, String name) throws IOException {
    Path pattern = Path.of(glob);
    Path base = pattern.getRoot() == null ? Path.of("").toAbsolutePath() : pattern.getRoot();
    int fixed = 0;
    for (Path part : pattern) {
      if (part.toString().matches(".*[*?\\[{].*")) {
        break;
      }
      base = base.resolve(part);
      fixed++;
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.toAbsolutePath());
    int depth = pattern.getNameCount() - fixed;
    List<Found> out = new ArrayList<>();
    if (!Files.isDirectory(base)) {
      throw new IllegalArgumentException(glob + ": matches nothing (" + base + " is not a directory)");
    }
    try (Stream<Path> s = Files.find(base, depth, (p, a) -> a.isDirectory() && matcher.matches(p))) {
      for (Path p : s.sorted().toList()) {
        Matcher m = STEP.matcher(p.getFileName().toString());
        Path runDir = p.getParent() == null ? null : p.getParent().getParent();
        if (!m.matches() || runDir == null || !Files.isRegularFile(runDir.resolve(RunDirectory.RUN_FILE))) {
          throw new IllegalArgumentException(p + ": matched by " + glob + " but not RUN/checkpoints/step-N of an Arbor run");
        }
        String run = name == null || name.isEmpty() ? runDir.getFileName().toString() : name;
        out.add(found(run, runDir, p, Long.parseLong(m.group(1)), corpusOf(runDir.resolve(RunDirectory.RUN_FILE))));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(glob + ": matches no checkpoint directory");
    }
    out.sort(Comparator.comparing(Found::run).thenComparingLong(Found::step));
    return out;
  }

  private static Found found(String run, Path runDir, Path checkpoint, long step, String corpus) {
    long tokens = -1;
    try {
      tokens = TrainerState.read(checkpoint).tokens();
    } catch (IOException | RuntimeException e) {
      // A corrupt or missing trainer state is reported by the cell that loads the checkpoint.
    }
    return new Found(run, runDir, checkpoint, step, tokens, corpus);
  }

  private static String corpusOf(Path runFile) throws IOException {
    JsonNode corpus = JSON.readTree(runFile.toFile()).path("corpus");
    return corpus.isTextual() ? corpus.asText() : null;
  }
}
