package org.arbor.olmo;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.arbor.config.ConfigNode;

/**
 * The revisions of an OLMo training run under one root, on a local path or any Hadoop file system
 * path: one checkpoint directory per revision, named like the Hugging Face branches of
 * allenai/OLMo-1B-hf (step{N}-tokens{M}B, e.g. step20000-tokens84B). Other entries are ignored.
 * The real series is irregular (the paper used 351 revisions, steps 1000..738020, with gaps), so
 * evenly and log-spaced selections pick, among the existing steps, the ones nearest their targets.
 */
public final class OlmoRevisions {
  private static final Pattern NAME = Pattern.compile("step(\\d+)-tokens(\\d+(?:\\.\\d+)?)B");
  private final FileSystem fs;
  private final Path root;
  private final List<Revision> revisions;

  /** One revision: its directory name, training step, tokens seen, and location (a Hadoop path). */
  public record Revision(String name, long step, long tokensSeen, String location) {}

  private OlmoRevisions(FileSystem fs, Path root, List<Revision> revisions) {
    this.fs = fs;
    this.root = root;
    this.revisions = List.copyOf(revisions);
  }

  /** Lists root (a local path or a Hadoop URI such as hdfs://nn/olmo) with a default Hadoop configuration. */
  public static OlmoRevisions open(String root) throws IOException {
    return open(root, new Configuration());
  }

  public static OlmoRevisions open(String root, Configuration conf) throws IOException {
    Path p = new Path(root);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p) || !fs.getFileStatus(p).isDirectory()) {
      throw new IllegalArgumentException(root + ": not a directory (the root holding step{N}-tokens{M}B revisions)");
    }
    List<Revision> found = new ArrayList<>();
    for (FileStatus s : fs.listStatus(p)) {
      Revision r = s.isDirectory() ? parse(s.getPath().getName(), s.getPath().toString()) : null;
      if (r != null) {
        found.add(r);
      }
    }
    found.sort(Comparator.comparingLong(Revision::step).thenComparing(Revision::name));
    for (int i = 1; i < found.size(); i++) {
      if (found.get(i).step() == found.get(i - 1).step()) {
        throw new IllegalArgumentException(root + ": two revisions of step " + found.get(i).step() + ": "
            + found.get(i - 1).name() + " and " + found.get(i).name());
      }
    }
    if (found.isEmpty()) {
      throw new IllegalArgumentException(root + ": no revision directories named like step20000-tokens84B");
    }
    return new OlmoRevisions(fs, p, found);
  }

  /** The revision a branch name denotes, or null if the name is not step{N}-tokens{M}B. */
  public static Revision parse(String name, String location) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      return null;
    }
    long tokens = new BigDecimal(m.group(2)).scaleByPowerOfTen(9).longValueExact();
    return new Revision(name, Long.parseLong(m.group(1)), tokens, location);
  }

  /** Every revision, by step. */
  public List<Revision> all() {
    return revisions;
  }

  public String root() {
    return root.toString();
  }

  /**
   * How to pick revisions: all; every k-th by step (the first, the (k+1)-th, ...); count evenly
   * spaced in step; or count log-spaced in step (in ln(1 + step), so step 0 is allowed).
   */
  public record Selection(String mode, int n) {
    public Selection {
      if (!List.of("all", "every", "even", "log").contains(mode)) {
        throw new IllegalArgumentException("revision selection '" + mode + "': expected all, every, even or log");
      }
      if (!mode.equals("all") && n < 1) {
        throw new IllegalArgumentException("revision selection '" + mode + "' needs a count of at least 1, got " + n);
      }
    }

    public static final Selection ALL = new Selection("all", 0);

    /** Keys: select (all | every | even | log), and k (every) or count (even, log). */
    public static Selection fromConfig(ConfigNode n) {
      String mode = n.string("select", "all");
      Selection s;
      try {
        s = switch (mode) {
          case "every" -> new Selection(mode, n.count("k"));
          case "even", "log" -> new Selection(mode, n.count("count"));
          default -> new Selection(mode, 0);
        };
      } catch (IllegalArgumentException e) {
        throw n.error("select", e.getMessage());
      }
      n.finish();
      return s;
    }
  }

  public List<Revision> select(Selection s) {
    return select(revisions, s);
  }

  /** The selection from revisions sorted by step; deterministic, no duplicates, in step order. */
  public static List<Revision> select(List<Revision> revisions, Selection s) {
    int n = revisions.size();
    switch (s.mode()) {
      case "all":
        return revisions;
      case "every": {
        List<Revision> out = new ArrayList<>();
        for (int i = 0; i < n; i += s.n()) {
          out.add(revisions.get(i));
        }
        return out;
      }
      default: {
        if (s.n() >= n) {
          return revisions;
        }
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
          long step = revisions.get(i).step();
          u[i] = s.mode().equals("log") ? Math.log1p(step) : step;
        }
        double[] targets = new double[s.n()];
        for (int j = 0; j < targets.length; j++) {
          targets[j] = targets.length == 1 ? u[n - 1] : u[0] + (u[n - 1] - u[0]) * j / (targets.length - 1);
        }
        List<Revision> out = new ArrayList<>();
        for (int i : nearestIncreasing(u, targets)) {
          out.add(revisions.get(i));
        }
        return out;
      }
    }
  }

  /**
   * Indices i_0 < i_1 < ... of points u (ascending) minimising sum |u[i_j] - target_j|: the nearest
   * existing points without duplicates. Greedy nearest-point picking would collide where the series
   * has gaps wider than the target spacing; this dynamic programme (O(targets x points)) shifts
   * neighbours instead. Ties go to the earlier point.
   */
  static int[] nearestIncreasing(double[] u, double[] targets) {
    int n = u.length;
    int k = targets.length;
    double[][] cost = new double[k][n];
    int[][] from = new int[k][n];
    for (int j = 0; j < k; j++) {
      // best = min over i' < i of cost[j-1][i'], at index arg (the earliest on ties)
      double best = Double.POSITIVE_INFINITY;
      int arg = -1;
      for (int i = 0; i < n; i++) {
        boolean room = i >= j && n - i >= k - j; // every other target can still get its own point
        double before = j == 0 ? 0 : best;
        cost[j][i] = room ? before + Math.abs(u[i] - targets[j]) : Double.POSITIVE_INFINITY;
        from[j][i] = arg;
        if (j > 0 && cost[j - 1][i] < best) {
          best = cost[j - 1][i];
          arg = i;
        }
      }
    }
    int end = -1;
    for (int i = 0; i < n; i++) {
      if (end < 0 || cost[k - 1][i] < cost[k - 1][end]) {
        end = i;
      }
    }
    int[] picked = new int[k];
    for (int j = k - 1; j >= 0; j--) {
      picked[j] = end;
      end = from[j][end];
    }
    return picked;
  }

  /**
   * A local directory holding the revision: its own path on a local file system, otherwise a copy
   * under cache (reused when complete; written beside and renamed, so an interrupted copy is never
   * taken for a revision).
   */
  public java.nio.file.Path localDirectory(Revision r, java.nio.file.Path cache) throws IOException {
    if (fs.getUri().getScheme() != null && fs.getUri().getScheme().equals("file")) {
      return java.nio.file.Path.of(URI.create(fs.makeQualified(new Path(r.location())).toString()));
    }
    return copyToLocal(r, cache.resolve(r.name()));
  }

  /** Copies the revision's directory to target (unless target exists) and returns target. */
  public java.nio.file.Path copyToLocal(Revision r, java.nio.file.Path target) throws IOException {
    if (Files.isDirectory(target)) {
      return target;
    }
    Files.createDirectories(target.getParent());
    java.nio.file.Path partial = target.resolveSibling("." + target.getFileName() + ".partial");
    if (Files.exists(partial)) {
      deleteTree(partial);
    }
    fs.copyToLocalFile(false, new Path(r.location()), new Path(partial.toUri()), true);
    Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  private static void deleteTree(java.nio.file.Path p) throws IOException {
    try (var walk = Files.walk(p)) {
      for (java.nio.file.Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
