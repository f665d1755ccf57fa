package org.arbor.sweep;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arbor.config.ConfigNode;
import org.arbor.probe.Probes;

/**
 * A sweep (conf/sweeps/*.yaml): which models to probe (Arbor runs, checkpoint globs, OLMo revision
 * roots), which probes with which settings, how probes are grouped into tasks, and the seed every
 * probe input is drawn from (the same for every checkpoint, so curves over training compare like
 * with like). Paths are relative to the YAML file.
 */
public final class SweepSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One entry of {@code runs}: an Arbor run directory, a glob of checkpoint directories, or an OLMo root. */
  public record RunSource(String kind, String path, String name, Map<String, Object> options) implements Serializable {}

  public final String file;
  public final String name;
  public final long seed;
  public final List<RunSource> runs;
  /** Probe name to its settings (plain YAML values), in file order. */
  public final Map<String, Map<String, Object>> probes;
  /** Probe groups: each group is one task per checkpoint. */
  public final List<List<String>> groups;

  private SweepSpec(SweepSpec base, List<RunSource> runs) {
    this.file = base.file;
    this.name = base.name;
    this.seed = base.seed;
    this.runs = List.copyOf(runs);
    this.probes = base.probes;
    this.groups = base.groups;
  }

  /** The same probes over other runs (the quickstart points its sweep at the runs it trained). */
  public SweepSpec withRuns(List<RunSource> runs) {
    return new SweepSpec(this, runs);
  }

  public SweepSpec(ConfigNode root, Path dir) {
    this.file = root.file();
    this.name = root.string("name");
    this.seed = root.longValue("seed", 1);
    List<RunSource> rs = new ArrayList<>();
    for (ConfigNode r : root.childList("runs")) {
      rs.add(runSource(r, dir));
    }
    if (rs.isEmpty()) {
      throw root.error("runs", "must list at least one run");
    }
    this.runs = List.copyOf(rs);
    ConfigNode ps = root.child("probes");
    Map<String, Map<String, Object>> probes = new LinkedHashMap<>();
    for (String p : ps.keys()) {
      ConfigNode settings = ps.childOrEmpty(p);
      // Built once here so unknown probes and bad settings fail before any task starts.
      Probes.create(p, settings);
      probes.put(p, settings.raw());
    }
    ps.finish();
    if (probes.isEmpty()) {
      throw root.error("probes", "must name at least one probe (" + String.join(", ", Probes.names()) + ")");
    }
    this.probes = probes;
    this.groups = groups(root, probes.keySet());
    root.finish();
  }

  public static SweepSpec load(Path file) {
    return new SweepSpec(ConfigNode.load(file), file.toAbsolutePath().getParent());
  }

  private static RunSource runSource(ConfigNode r, Path dir) {
    String kind = null;
    for (String k : List.of("run", "checkpoints", "olmo")) {
      if (r.has(k)) {
        if (kind != null) {
          throw r.error(k, "a run entry has exactly one of run, checkpoints, olmo");
        }
        kind = k;
      }
    }
    if (kind == null) {
      throw r.error("run", "a run entry needs one of run (a run directory), checkpoints (a glob) or olmo (a revisions root)");
    }
    String raw = r.string(kind);
    String path = raw.contains("://") ? raw : dir.resolve(raw).normalize().toString();
    String name = r.string("name", "");
    Map<String, Object> options = new LinkedHashMap<>();
    if (kind.equals("olmo")) {
      // Which revisions (OlmoRevisions.Selection: select, k, count) and the Paloma windows the
      // probes read as natural text (PalomaWindows.Settings; root relative to this file).
      options.put("select", r.childOrEmpty("select").raw());
      if (r.has("paloma")) {
        Map<String, Object> paloma = new LinkedHashMap<>(r.child("paloma").raw());
        if (paloma.get("root") instanceof String root) {
          paloma.put("root", dir.resolve(root).normalize().toString());
        }
        options.put("paloma", paloma);
      }
    }
    r.finish();
    return new RunSource(kind, path, name, options);
  }

  private static List<List<String>> groups(ConfigNode root, Set<String> probes) {
    List<List<String>> out = new ArrayList<>();
    if (!root.has("groups")) {
      probes.forEach(p -> out.add(List.of(p)));
      return out;
    }
    Set<String> seen = new LinkedHashSet<>();
    List<?> items = root.list("groups");
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof List<?> g) || g.isEmpty()) {
        throw root.error("groups", "item " + i + " must be a non-empty list of probe names");
      }
      List<String> group = new ArrayList<>();
      for (Object o : g) {
        String p = String.valueOf(o);
        if (!probes.contains(p)) {
          throw root.error("groups", "item " + i + " names '" + p + "', which is not under probes");
        }
        if (!seen.add(p)) {
          throw root.error("groups", "probe '" + p + "' is in more than one group");
        }
        group.add(p);
      }
      out.add(List.copyOf(group));
    }
    for (String p : probes) {
      if (!seen.contains(p)) {
        out.add(List.of(p));
      }
    }
    return out;
  }
}
