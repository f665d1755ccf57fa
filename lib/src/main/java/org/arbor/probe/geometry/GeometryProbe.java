package org.arbor.probe.geometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.arbor.config.ConfigNode;
import org.arbor.corpus.Document;
import org.arbor.model.CausalLm;
import org.arbor.probe.Probe;
import org.arbor.probe.ProbeContext;
import org.arbor.probe.ProbeCorpus;
import org.arbor.probe.ProbeResult;
import org.arbor.probe.geometry.RepresentationSimilarity.Centring;
import org.arbor.probe.geometry.RepresentationSimilarity.Hierarchy;
import org.arbor.probe.geometry.RepresentationSimilarity.Level;
import org.arbor.probe.geometry.RepresentationSimilarity.Similarity;
import org.arbor.random.Rng;

/**
 * Does the residual stream reflect the latent hierarchy of the generating process? (The paper's
 * claim that "internal representations reflect the latent hierarchical geometry", section 5.)
 *
 * <p>Held-out documents are re-sampled from the corpus's process with all their latent annotations
 * (category, position in the sentence, sentence, clause, paragraph, section, Zipf rank), truncated to
 * {@code max_tokens} (at most the model's context) and run through the model once; the residual
 * stream is read at the embeddings and after every block. Two measures per read-out point:
 * <ul>
 *   <li>Linear probes (Alain and Bengio 2016): a {@link SoftmaxProbe} per categorical target, scored
 *       by held-out accuracy, and a {@link RidgeProbe} for ln rank, scored by held-out R^2. Train and
 *       test are split by document, so no document has tokens on both sides. The baseline is the
 *       majority training class's accuracy on the test tokens (for rank: the R^2 of predicting the
 *       training mean, at most 0), written once per target with the qualifier {@code point=baseline}
 *       (layer -1); a probe's accuracy above it is what the states add beyond the label frequencies
 *       (Hewitt and Liang 2019 argue for reading probes against such a control).
 *   <li>{@link RepresentationSimilarity}: mean cosine similarity within and across units of each level.
 * </ul>
 * A target the process does not annotate, or that is constant over the sampled tokens, is skipped
 * (no row); so is a level without pairs of both kinds.
 *
 * <p>Keys (see org.arbor.probe's package doc): {@code probe_accuracy:target=T}, {@code
 * probe_r2:target=rank}, {@code cosine_within:level=V}, {@code cosine_across:level=V} at layer L
 * (after block L); at the embeddings the same keys with {@code ,point=embed} and layer -1; baselines
 * {@code probe_accuracy:target=T,point=baseline} and {@code probe_r2:target=rank,point=baseline}.
 *
 * <p>Memory: the states of every point are held at once, documents x tokens x hidden x (layers + 1)
 * floats (the quickstart model: 100 x 124 x 64 x 3, 10 MB; the paper's: 100 x 256 x 256 x 17, 450 MB).
 */
public final class GeometryProbe implements Probe {
  public static final String NAME = "geometry";
  static final long DOCUMENTS_PURPOSE = 0x47454F44L; // "GEOD"
  static final long SPLIT_PURPOSE = 0x47454F53L; // "GEOS"

  /**
   * @param documents held-out base documents to sample (at most the corpus's held-out count)
   * @param maxTokens tokens kept from the start of each document (at most the model's context)
   * @param testFraction share of the documents the probes are scored on (the rest train them)
   * @param l2 L2 strength of both probes, per standardised feature
   * @param targets the probe targets
   * @param classCap integer targets are capped here (the last class is "cap or more")
   * @param levels the similarity levels (empty: no similarity analysis)
   * @param centring what the similarity analysis subtracts from each state first
   * @param batch documents per forward pass
   * @param maxIterations L-BFGS iterations at most per softmax probe
   * @param tolerance L-BFGS gradient tolerance
   */
  public record Settings(int documents, int maxTokens, double testFraction, double l2, List<LatentTarget> targets,
      int classCap, List<Level> levels, Centring centring, int batch, int maxIterations, double tolerance) {
    public Settings {
      targets = List.copyOf(targets);
      levels = List.copyOf(levels);
      if (documents < 2 || maxTokens < 1 || !(testFraction > 0 && testFraction < 1) || !(l2 > 0) || classCap < 1
          || centring == null || batch < 1 || maxIterations < 1 || !(tolerance > 0)) {
        throw new IllegalArgumentException("geometry settings out of range: " + this);
      }
    }

    public static Settings defaults() {
      return new Settings(100, 256, 0.2, 1e-3, List.of(LatentTarget.values()), 32, List.of(Level.values()), Centring.MEAN, 8,
          300, 1e-5);
    }
  }

  private final Settings settings;

  public GeometryProbe(Settings settings) {
    this.settings = settings;
  }

  /**
   * Settings keys: documents (100), max_tokens (256), test_fraction (0.2), l2 (1e-3), targets (all:
   * category, position, sentence, clause, paragraph, section, rank, rank_bucket), class_cap (32),
   * levels (all: sentence, paragraph, section, document), centring (mean; none, mean or category), batch (8), max_iterations
   * (300), tolerance (1e-5).
   */
  public GeometryProbe(ConfigNode n) {
    Settings d = Settings.defaults();
    int documents = n.count("documents", d.documents());
    if (documents < 2) {
      throw n.error("documents", "must be at least 2 (train and test need a document each)");
    }
    int maxTokens = n.positive("max_tokens", d.maxTokens());
    double testFraction = n.number("test_fraction", d.testFraction());
    if (!(testFraction > 0 && testFraction < 1)) {
      throw n.error("test_fraction", "must lie strictly between 0 and 1, got " + testFraction);
    }
    double l2 = n.number("l2", d.l2());
    if (!(l2 > 0)) {
      throw n.error("l2", "must be positive, got " + l2);
    }
    List<LatentTarget> targets = new ArrayList<>();
    if (n.has("targets")) {
      for (String t : n.stringList("targets")) {
        try {
          targets.add(LatentTarget.parse(t));
        } catch (IllegalArgumentException e) {
          throw n.error("targets", e.getMessage());
        }
      }
    } else {
      targets.addAll(d.targets());
    }
    int classCap = n.positive("class_cap", d.classCap());
    List<Level> levels = new ArrayList<>();
    if (n.has("levels")) {
      for (String l : n.stringList("levels")) {
        try {
          levels.add(Level.parse(l));
        } catch (IllegalArgumentException e) {
          throw n.error("levels", e.getMessage());
        }
      }
    } else {
      levels.addAll(d.levels());
    }
    Centring centring;
    try {
      centring = Centring.parse(n.string("centring", d.centring().key()));
    } catch (IllegalArgumentException e) {
      throw n.error("centring", e.getMessage());
    }
    int batch = n.positive("batch", d.batch());
    int maxIterations = n.positive("max_iterations", d.maxIterations());
    double tolerance = n.number("tolerance", d.tolerance());
    if (!(tolerance > 0)) {
      throw n.error("tolerance", "must be positive, got " + tolerance);
    }
    n.finish();
    this.settings = new Settings(documents, maxTokens, testFraction, l2, targets, classCap, levels, centring, batch,
        maxIterations, tolerance);
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<ProbeResult> run(ProbeContext context) {
    if (!context.hasCorpus()) {
      throw new IllegalArgumentException("geometry: needs the generating process of the model's corpus for the latent "
          + "annotations; this model has none");
    }
    CausalLm model = context.model();
    ProbeCorpus corpus = context.corpus();
    long[] ids = heldOutDocuments(context.seed(), corpus.testBaseDocuments(), settings.documents());
    int n = ids.length;
    int length = Math.min(settings.maxTokens(), model.maxPositions());
    ProbeCorpus.HeldOut heldOut = corpus.heldOut();
    List<Document> documents = new ArrayList<>();
    List<int[]> sequences = new ArrayList<>();
    for (long id : ids) {
      Document doc = heldOut.document(id);
      documents.add(doc);
      sequences.add(Arrays.copyOf(doc.tokens(), Math.min(length, doc.length())));
    }
    boolean[] test = testDocuments(context.seed(), n, settings.testFraction());
    int total = sequences.stream().mapToInt(s -> s.length).sum();
    int[] docOfRow = new int[total];
    for (int i = 0, r = 0; i < n; i++) {
      for (int t = 0; t < sequences.get(i).length; t++) {
        docOfRow[r++] = i;
      }
    }
    List<Features> points = ResidualStates.collect(model, sequences, settings.batch(), context.manager());

    List<ProbeResult> out = new ArrayList<>();
    List<Task> tasks = new ArrayList<>();
    for (LatentTarget target : settings.targets()) {
      Task task = Task.of(target, documents, sequences, docOfRow, test, settings.classCap());
      if (task != null) {
        tasks.add(task);
        out.add(ProbeResult.of(NAME, task.key() + ",point=baseline", task.baseline()));
      }
    }
    Hierarchy hierarchy = hierarchy(documents, sequences, docOfRow);
    int[] category = concat(documents, sequences, Document::category);
    SoftmaxProbe softmax = new SoftmaxProbe(settings.l2(), settings.maxIterations(), settings.tolerance());
    RidgeProbe ridge = new RidgeProbe(settings.l2());
    for (int p = 0; p < points.size(); p++) {
      int layer = p - 1;
      String suffix = p == 0 ? ",point=embed" : "";
      Features x = points.get(p);
      for (Task task : tasks) {
        double score = task.target.numeric()
            ? ridge.fit(x, task.trainRows, task.trainValues, context.manager()).r2(x, task.testRows, task.testValues)
            : softmax.fit(x, task.trainRows, task.trainLabels(), context.manager())
                .accuracy(x, task.testRows, task.testLabels());
        out.add(ProbeResult.layer(NAME, layer, task.key() + suffix, score));
      }
      for (Similarity s : RepresentationSimilarity.measure(x, hierarchy, settings.levels(),
          settings.centring(), category)) {
        out.add(ProbeResult.layer(NAME, layer, "cosine_within:level=" + s.level().key() + suffix, s.within()));
        out.add(ProbeResult.layer(NAME, layer, "cosine_across:level=" + s.level().key() + suffix, s.across()));
      }
    }
    return out;
  }

  /** k distinct held-out base documents (Floyd's sampling), ascending; all of them when k exceeds their count. */
  static long[] heldOutDocuments(long seed, long available, int k) {
    if (available > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("geometry: " + available + " held-out documents is more than this probe samples from");
    }
    int population = (int) available;
    int take = Math.min(k, population);
    if (take < 2) {
      throw new IllegalArgumentException("geometry: the corpus has " + available + " held-out documents; at least 2 are needed");
    }
    Rng rng = new Rng(seed, DOCUMENTS_PURPOSE, 0);
    TreeSet<Long> chosen = new TreeSet<>();
    for (int j = population - take; j < population; j++) {
      long t = rng.nextInt(j + 1);
      chosen.add(chosen.contains(t) ? j : t);
    }
    return chosen.stream().mapToLong(Long::longValue).toArray();
  }

  /** Which of n documents are test documents: round(fraction * n), at least 1 and at most n - 1. */
  static boolean[] testDocuments(long seed, int n, double fraction) {
    int count = (int) Math.max(1, Math.min(n - 1, Math.round(fraction * n)));
    int[] order = new Rng(seed, SPLIT_PURPOSE, n).permutation(n);
    boolean[] test = new boolean[n];
    for (int i = 0; i < count; i++) {
      test[order[i]] = true;
    }
    return test;
  }

  private static Hierarchy hierarchy(List<Document> documents, List<int[]> sequences, int[] docOfRow) {
    return new Hierarchy(docOfRow, concat(documents, sequences, Document::section),
        concat(documents, sequences, Document::paragraph), concat(documents, sequences, Document::sentence));
  }

  private static int[] concat(List<Document> documents, List<int[]> sequences,
      java.util.function.Function<Document, short[]> annotation) {
    if (annotation.apply(documents.get(0)).length == 0) {
      return null;
    }
    int[] out = new int[sequences.stream().mapToInt(s -> s.length).sum()];
    int r = 0;
    for (int i = 0; i < documents.size(); i++) {
      short[] a = annotation.apply(documents.get(i));
      for (int t = 0; t < sequences.get(i).length; t++) {
        out[r++] = a[t];
      }
    }
    return out;
  }

  /** One target's train and test rows with their values. */
  private static final class Task {
    final LatentTarget target;
    final int[] trainRows;
    final double[] trainValues;
    final int[] testRows;
    final double[] testValues;

    private Task(LatentTarget target, int[] trainRows, double[] trainValues, int[] testRows, double[] testValues) {
      this.target = target;
      this.trainRows = trainRows;
      this.trainValues = trainValues;
      this.testRows = testRows;
      this.testValues = testValues;
    }

    /** The task, or null when the target is not annotated, constant in training or absent from the test. */
    static Task of(LatentTarget target, List<Document> documents, List<int[]> sequences, int[] docOfRow,
        boolean[] test, int cap) {
      int total = docOfRow.length;
      double[] values = new double[total];
      for (int i = 0, r = 0; i < documents.size(); i++) {
        double[] v = target.values(documents.get(i), sequences.get(i).length, cap);
        if (v == null) {
          return null;
        }
        System.arraycopy(v, 0, values, r, v.length);
        r += v.length;
      }
      List<Integer> train = new ArrayList<>();
      List<Integer> held = new ArrayList<>();
      for (int r = 0; r < total; r++) {
        if (!Double.isNaN(values[r])) {
          (test[docOfRow[r]] ? held : train).add(r);
        }
      }
      int[] trainRows = train.stream().mapToInt(Integer::intValue).toArray();
      int[] testRows = held.stream().mapToInt(Integer::intValue).toArray();
      double[] trainValues = Arrays.stream(trainRows).mapToDouble(r -> values[r]).toArray();
      double[] testValues = Arrays.stream(testRows).mapToDouble(r -> values[r]).toArray();
      if (testRows.length == 0 || Arrays.stream(trainValues).distinct().count() < 2) {
        return null;
      }
      return new Task(target, trainRows, trainValues, testRows, testValues);
    }

    String key() {
      return (target.numeric() ? "probe_r2" : "probe_accuracy") + ":target=" + target.key();
    }

    int[] trainLabels() {
      return Arrays.stream(trainValues).mapToInt(v -> (int) v).toArray();
    }

    int[] testLabels() {
      return Arrays.stream(testValues).mapToInt(v -> (int) v).toArray();
    }

    /** Majority training class's test accuracy (ties: the lowest class); for rank, R^2 of the training mean. */
    double baseline() {
      if (target.numeric()) {
        double mean = Arrays.stream(trainValues).average().orElseThrow();
        double[] constant = new double[testValues.length];
        Arrays.fill(constant, mean);
        return RidgeProbe.r2(constant, testValues);
      }
      int[] labels = trainLabels();
      int[] classes = Arrays.stream(labels).distinct().sorted().toArray();
      int best = classes[0];
      long bestCount = -1;
      for (int c : classes) {
        long count = Arrays.stream(labels).filter(v -> v == c).count();
        if (count > bestCount) {
          bestCount = count;
          best = c;
        }
      }
      int majority = best;
      return (double) Arrays.stream(testLabels()).filter(v -> v == majority).count() / testValues.length;
    }
  }
}
