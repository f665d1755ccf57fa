package org.arbor.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arbor.corpus.Manifest;
import org.arbor.olmo.OlmoRevisions;
import org.arbor.results.ResultsTable;
import org.arbor.train.RunDirectory;

/**
 * Turns a sweep into its cells (checkpoint x probe group, plus one "loss" cell per checkpoint) and
 * decides which are still to run. A cell's id hashes everything its rows depend on (run, checkpoint,
 * probes with their settings, seed), and its rows are one file named by the id, so a cell that is
 * already in the table is skipped and a retried task replaces its own file instead of adding rows.
 * {@value #RECORD} in the table keeps each probe's settings and the seed: a later sweep into the same
 * table may add runs and probes but not change what an existing probe measures.
 */
public final class SweepPlan {
  public static final String RECORD = "_sweep.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SweepPlan() {}

  /** Every cell of the sweep, a checkpoint's cells next to each other. */
  public static List<SweepCell> cells(SweepSpec spec) throws IOException {
    List<SweepCell> cells = new ArrayList<>();
    for (SweepSpec.RunSource source : spec.runs) {
      if (source.kind().equals("olmo")) {
        cells.addAll(olmoCells(spec, source));
        continue;
      }
      List<Checkpoints.Found> found = source.kind().equals("run")
          ? Checkpoints.ofRun(Path.of(source.path()), source.name())
          : Checkpoints.ofGlob(source.path(), source.name());
      for (Checkpoints.Found f : found) {
        String kind = modelKind(f);
        String metrics = f.runDir().resolve(RunDirectory.METRICS).toString();
        List<List<String>> groups = new ArrayList<>();
        groups.add(List.of(SweepCell.LOSS));
        groups.addAll(spec.groups);
        for (List<String> g : groups) {
          cells.add(new SweepCell(id(spec, f.run(), f.checkpoint().toString(), g), f.run(), kind,
              f.checkpoint().toString(), f.step(), f.tokensSeen(), f.corpus(), metrics, g, source.options()));
        }
      }
    }
    return cells;
  }

  /** OLMo revisions as runs: one cell per (revision, probe group); no loss rows (no training metrics here). */
  @SuppressWarnings("unchecked")
  private static List<SweepCell> olmoCells(SweepSpec spec, SweepSpec.RunSource source) throws IOException {
    OlmoRevisions revisions = OlmoRevisions.open(source.path());
    Map<String, Object> select = (Map<String, Object>) source.options().get("select");
    List<OlmoRevisions.Revision> picked = revisions.select(OlmoRevisions.Selection.fromConfig(
        org.arbor.config.ConfigNode.of(spec.file, "runs.select", select)));
    String run = source.name().isEmpty() ? "olmo" : source.name();
    List<SweepCell> cells = new ArrayList<>();
    for (OlmoRevisions.Revision r : picked) {
      Map<String, Object> options = new LinkedHashMap<>(source.options());
      options.put("root", source.path());
      options.put("revision", r.name());
      for (List<String> g : spec.groups) {
        cells.add(new SweepCell(id(spec, run, r.location(), g), run, "olmo", r.location(), r.step(), r.tokensSeen(),
            null, null, g, options));
      }
    }
    return cells;
  }

  /** The cells whose files are not yet in the table at out. */
  public static List<SweepCell> pending(List<SweepCell> cells, Path out) throws IOException {
    java.util.Set<String> present = new java.util.HashSet<>();
    for (Path p : ResultsTable.files(out)) {
      present.add(p.getFileName().toString());
    }
    return cells.stream().filter(c -> !present.contains(c.fileName())).toList();
  }

  /**
   * Checks the sweep against the table's record and writes the merged record (before any cell runs).
   *
   * @throws IllegalArgumentException naming the record and the probes whose settings differ
   */
  public static void record(SweepSpec spec, Path out) throws IOException {
    Files.createDirectories(out);
    Path file = out.resolve(RECORD);
    ObjectNode record = JSON.createObjectNode();
    record.put("seed", spec.seed);
    ObjectNode probes = record.putObject("probes");
    if (Files.exists(file)) {
      JsonNode old = JSON.readTree(file.toFile());
      if (old.path("seed").asLong() != spec.seed) {
        throw new IllegalArgumentException(file + ": the table was made with seed " + old.path("seed").asLong()
            + ", this sweep has seed " + spec.seed + "; use another --out");
      }
      old.path("probes").fields().forEachRemaining(e -> probes.set(e.getKey(), e.getValue()));
    }
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> e : spec.probes.entrySet()) {
      JsonNode now = JSON.valueToTree(Manifest.canonical(e.getValue()));
      JsonNode before = probes.get(e.getKey());
      if (before != null && !before.equals(now)) {
        changed.add(e.getKey() + " (" + before + " -> " + now + ")");
      }
      probes.set(e.getKey(), now);
    }
    if (!changed.isEmpty()) {
      throw new IllegalArgumentException(file + ": the table holds results of other settings for "
          + String.join("; ", changed) + "; use another --out");
    }
    Path tmp = out.resolve("." + RECORD + ".tmp");
    Files.writeString(tmp, JSON.writeValueAsString(record) + "\n");
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String modelKind(Checkpoints.Found f) throws IOException {
    if (f.corpus() == null) {
      return "unknown";
    }
    Path manifest = Path.of(f.corpus(), Manifest.FILE);
    if (!Files.isRegularFile(manifest)) {
      return "unknown";
    }
    return JSON.readTree(manifest.toFile()).path("kind").asText("unknown");
  }

  private static String id(SweepSpec spec, String run, String checkpoint, List<String> group) {
    Map<String, Object> key = new LinkedHashMap<>();
    key.put("run", run);
    key.put("checkpoint", checkpoint);
    key.put("seed", spec.seed);
    Map<String, Object> probes = new LinkedHashMap<>();
    for (String p : group) {
      probes.put(p, p.equals(SweepCell.LOSS) ? Map.of() : spec.probes.get(p));
    }
    key.put("probes", probes);
    return Manifest.hash(key).substring(0, 20);
  }

}
