package org.arbor.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.arbor.results.ResultRow;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's figures, drawn from the results table alone (keys in org.arbor.probe's package doc),
 * so they can be redrawn for any sweep. Each method returns nothing (empty) when the table has no
 * rows of its probe; error rows are never drawn. Line charts have one panel per model kind with a
 * series per run; heatmaps (layer x checkpoint) one panel per run. x is tokens seen, on a log scale
 * where the checkpoints are log-spaced.
 */
public final class Figures {
  static final int WIDTH = 600;
  static final int HEIGHT = 420;
  /** Heatmaps with at most this many cells print their values. */
  static final int MAX_LABELLED_CELLS = 80;

  private Figures() {}

  /** Every figure the table has rows for, in the report's order. */
  public static List<Figure> all(List<ResultRow> rows) {
    ResultIndex s = new ResultIndex(rows);
    List<Figure> out = new ArrayList<>();
    lossCurves(s).ifPresent(out::add);
    inductionScores(s).ifPresent(out::add);
    iclScore(s).ifPresent(out::add);
    out.addAll(functionVectorGain(s));
    out.addAll(paperPatchGain(s));
    hydraCompensation(s).ifPresent(out::add);
    paperCompensation(s).ifPresent(out::add);
    structureScores(s).ifPresent(out::add);
    out.addAll(geometryAccuracy(s));
    return out;
  }

  /** The table's error rows, in (run, tokens seen, probe) order. */
  public static List<ResultRow> errors(List<ResultRow> rows) {
    List<ResultRow> out = new ArrayList<>();
    for (ResultRow r : rows) {
      if (r.isError()) {
        out.add(r);
      }
    }
    out.sort(java.util.Comparator.comparing(ResultRow::run).thenComparingLong(ResultRow::tokensSeen)
        .thenComparing(ResultRow::probe).thenComparing(r -> r.error() == null ? "" : r.error()));
    return out;
  }

  // ---- line charts ----------------------------------------------------------------------------

  public static Optional<Figure> lossCurves(List<ResultRow> rows) {
    return lossCurves(new ResultIndex(rows));
  }

  static Optional<Figure> lossCurves(ResultIndex s) {
    return lines(s, "loss", "Loss against the entropy floor",
        "Next-token cross-entropy on training batches and on held-out test windows (nats per token), against the "
            + "corpus's exact entropy rate given its latents, the floor no model can go below.",
        "nats per token", List.of(
            new Line("train loss", false, (sw, run) -> key(sw, run, "loss", "train_loss")),
            new Line("held-out loss", false, (sw, run) -> key(sw, run, "loss", "heldout_loss")),
            new Line("entropy floor", true, (sw, run) -> key(sw, run, "loss", "entropy_floor"))));
  }

  public static Optional<Figure> inductionScores(List<ResultRow> rows) {
    return inductionScores(new ResultIndex(rows));
  }

  static Optional<Figure> inductionScores(ResultIndex s) {
    return lines(s, "induction", "Induction scores over training",
        "Induction-head scores over training: prefix matching (Olsson et al.) as the largest mean attention any "
            + "head pays to the token after the earlier occurrence, and the paper's duplicate-token score (max over "
            + "heads) at k = 1 and averaged over k.",
        "attention", List.of(
            new Line("prefix matching, max over heads", false, (sw, run) -> maxOverHeads(sw, run)),
            new Line("duplicate token (paper, k=1)", false,
                (sw, run) -> key(sw, run, "induction", "duplicate_token_paper:k=1")),
            new Line("duplicate token (paper, mean over k)", false, (sw, run) -> meanOverK(sw, run))));
  }

  public static Optional<Figure> iclScore(List<ResultRow> rows) {
    return iclScore(new ResultIndex(rows));
  }

  static Optional<Figure> iclScore(ResultIndex s) {
    return lines(s, "icl_score", "In-context learning score",
        "In-context learning score over training: the loss late in the context window minus the loss early in it "
            + "(nats; more negative means the model makes more use of its context).",
        "nats (late - early)", List.of(
            new Line("icl score", false, (sw, run) -> key(sw, run, "induction", "icl_score"))));
  }

  public static Optional<Figure> structureScores(List<ResultRow> rows) {
    return structureScores(new ResultIndex(rows));
  }

  static Optional<Figure> structureScores(ResultIndex s) {
    return lines(s, "structure", "Structure scores over training",
        "Structure scores over training: the next-token probability mass on the category the grammar expects "
            + "(a verb after a subject, an object after subject-verb, a subject after a connector) and the share of "
            + "sampled continuations the grammar parses.",
        "probability / fraction", List.of(
            new Line("verb after S", false, (sw, run) -> key(sw, run, "structure", "verb_after_s")),
            new Line("object after S V", false, (sw, run) -> key(sw, run, "structure", "object_after_sv")),
            new Line("subject after S V O C", false, (sw, run) -> key(sw, run, "structure", "subject_after_svoc")),
            new Line("grammatical fraction", false,
                (sw, run) -> key(sw, run, "structure", "grammatical_fraction"))));
  }

  // ---- heatmaps (layer x checkpoint) ----------------------------------------------------------

  /** One figure per task: fv_gain:task=T by layer and checkpoint. */
  public static List<Figure> functionVectorGain(List<ResultRow> rows) {
    return functionVectorGain(new ResultIndex(rows));
  }

  static List<Figure> functionVectorGain(ResultIndex s) {
    List<Figure> out = new ArrayList<>();
    for (String task : s.qualifierValues("function_vector", "fv_gain", "task")) {
      String key = "fv_gain:task=" + task;
      heatmap(s, "fv_gain-" + task, "Function-vector gain, task " + task,
          "Gain in the probability of the answer on zero-shot '" + task + "' prompts when the task's function "
              + "vector is added to the residual stream at each layer, by layer and checkpoint.",
          "function_vector", r -> r.layer() >= 0 && r.key().equals(key)).ifPresent(out::add);
    }
    return out;
  }

  /** One figure per task: the paper's paper_patch_gain:task=T by layer and checkpoint. */
  public static List<Figure> paperPatchGain(List<ResultRow> rows) {
    return paperPatchGain(new ResultIndex(rows));
  }

  static List<Figure> paperPatchGain(ResultIndex s) {
    List<Figure> out = new ArrayList<>();
    for (String task : s.qualifierValues("function_vector", "paper_patch_gain", "task")) {
      String key = "paper_patch_gain:task=" + task;
      heatmap(s, "paper_patch_gain-" + task, "Paper's patching gain, task " + task,
          "The paper's function-vector variant for '" + task + "': gain in P(answer) when the few-shot run's "
              + "attention output at each layer is patched into the zero-shot run, by layer and checkpoint.",
          "function_vector", r -> r.layer() >= 0 && r.key().equals(key)).ifPresent(out::add);
    }
    return out;
  }

  /** McGrath et al.'s compensation of whole layers (head -1) by layer and checkpoint. */
  public static Optional<Figure> hydraCompensation(List<ResultRow> rows) {
    return hydraCompensation(new ResultIndex(rows));
  }

  static Optional<Figure> hydraCompensation(ResultIndex s) {
    return heatmap(s, "hydra_compensation", "Hydra compensation per layer",
        "Hydra compensation (McGrath et al.): a layer's direct effect minus its total effect on the target logit "
            + "under resample ablation, by layer and checkpoint; positive means later layers make up for it.",
        "hydra", r -> r.layer() >= 0 && r.head() == -1 && r.key().equals("compensation"));
  }

  /** The paper's zero-ablation compensation at k = 1 by layer and checkpoint. */
  public static Optional<Figure> paperCompensation(List<ResultRow> rows) {
    return paperCompensation(new ResultIndex(rows));
  }

  static Optional<Figure> paperCompensation(ResultIndex s) {
    return heatmap(s, "paper_compensation", "Paper's compensation (k=1)",
        "The paper's compensation score at k = 1: how far the logit-lens reading at layer L rises above the clean "
            + "run when layer L-1 is zeroed, -min(clean - ablated, 0), by layer and checkpoint.",
        "hydra", r -> r.layer() >= 0 && r.key().equals("paper_compensation:k=1"));
  }

  /** One figure per target: probe_accuracy:target=T by layer (embed: the embeddings) and checkpoint. */
  public static List<Figure> geometryAccuracy(List<ResultRow> rows) {
    return geometryAccuracy(new ResultIndex(rows));
  }

  static List<Figure> geometryAccuracy(ResultIndex s) {
    List<Figure> out = new ArrayList<>();
    for (String target : s.qualifierValues("geometry", "probe_accuracy", "target")) {
      heatmap(s, "geometry-" + target, "Linear probe accuracy, target " + target,
          "Held-out accuracy of a linear probe predicting the token's " + target + " from the residual stream "
              + "after each layer (embed: the embeddings), by layer and checkpoint.",
          "geometry", r -> {
            ResultKey k = ResultKey.parse(r.key());
            // The majority-class baseline (point=baseline) is chance level, not a layer: it stays in the table.
            return k.measure().equals("probe_accuracy") && target.equals(k.get("target"))
                && !"baseline".equals(k.get("point"));
          }).ifPresent(out::add);
    }
    return out;
  }

  // ---- building blocks -------------------------------------------------------------------------

  /** One line per run: a label and how to read its points (tokens seen -> value) from the sweep. */
  private record Line(String label, boolean dashed, BiFunction<ResultIndex, String, TreeMap<Long, Double>> points) {}

  private static TreeMap<Long, Double> key(ResultIndex s, String run, String probe, String key) {
    return ResultIndex.byTokens(s.select(run, probe, r -> r.key().equals(key)));
  }

  /** Olsson et al.'s score reduced to one number per checkpoint: the best head's prefix matching. */
  private static TreeMap<Long, Double> maxOverHeads(ResultIndex s, String run) {
    TreeMap<Long, Double> out = new TreeMap<>();
    for (ResultRow r : s.select(run, "induction", r -> r.key().equals("prefix_matching") && r.layer() >= 0)) {
      if (!Double.isNaN(r.value())) {
        out.merge(r.tokensSeen(), r.value(), Math::max);
      }
    }
    return out;
  }

  /** The paper's duplicate-token score averaged over the offsets k the table has. */
  private static TreeMap<Long, Double> meanOverK(ResultIndex s, String run) {
    TreeMap<Long, double[]> sums = new TreeMap<>();
    for (ResultRow r : s.select(run, "induction", r -> ResultKey.parse(r.key()).measure().equals(
        "duplicate_token_paper"))) {
      if (!Double.isNaN(r.value())) {
        double[] a = sums.computeIfAbsent(r.tokensSeen(), t -> new double[2]);
        a[0] += r.value();
        a[1]++;
      }
    }
    TreeMap<Long, Double> out = new TreeMap<>();
    sums.forEach((t, a) -> out.put(t, a[0] / a[1]));
    return out;
  }

  private static Optional<Figure> lines(ResultIndex s, String id, String title, String caption, String yTitle,
      List<Line> lines) {
    List<Panel> panels = new ArrayList<>();
    for (String kind : s.kinds()) {
      List<String> names = new ArrayList<>();
      List<TreeMap<Long, Double>> data = new ArrayList<>();
      List<Boolean> dashed = new ArrayList<>();
      TreeSet<Long> xs = new TreeSet<>();
      for (String run : s.runs(kind)) {
        for (Line line : lines) {
          TreeMap<Long, Double> pts = line.points().apply(s, run);
          if (!pts.isEmpty()) {
            names.add(run + ": " + line.label());
            data.add(pts);
            dashed.add(line.dashed());
            xs.addAll(pts.keySet());
          }
        }
      }
      if (names.isEmpty()) {
        continue;
      }
      boolean log = TokenAxis.isLogSpaced(xs.stream().mapToLong(Long::longValue).toArray());
      XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(kindLabel(kind))
          .xAxisTitle(log ? "tokens seen (log scale)" : "tokens seen").yAxisTitle(yTitle).build();
      // XChart's tick formatter switches to linear ticks, so a log axis keeps its own decade labels.
      chart.getStyler().setXAxisLogarithmic(log);
      if (log) {
        chart.getStyler().setXAxisDecimalPattern("0.#E0");
      } else {
        chart.getStyler().setxAxisTickLabelsFormattingFunction(TokenAxis::label);
      }
      chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setChartBackgroundColor(Color.WHITE);
      chart.getStyler().setAntiAlias(true);
      for (int i = 0; i < names.size(); i++) {
        double[] x = new double[data.get(i).size()];
        double[] y = new double[x.length];
        int j = 0;
        for (Map.Entry<Long, Double> e : data.get(i).entrySet()) {
          x[j] = e.getKey();
          y[j++] = e.getValue();
        }
        XYSeries series = chart.addSeries(names.get(i), x, y);
        series.setMarker(x.length == 1 || !dashed.get(i) ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        if (dashed.get(i)) {
          series.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
              new float[] {6f, 4f}, 0f));
        }
      }
      panels.add(new Panel(id + "-" + kind, kind, null, chart));
    }
    return panels.isEmpty() ? Optional.empty() : Optional.of(new Figure(id, title, caption, uniqueIds(panels)));
  }

  private static Optional<Figure> heatmap(ResultIndex s, String id, String title, String caption, String probe,
      Predicate<ResultRow> filter) {
    List<Panel> panels = new ArrayList<>();
    for (String kind : s.kinds()) {
      for (String run : s.runs(kind)) {
        List<ResultRow> rows = s.select(run, probe, filter);
        rows.removeIf(r -> Double.isNaN(r.value()));
        if (rows.isEmpty()) {
          continue;
        }
        panels.add(new Panel(id + "-" + kind + "-" + run, kind, run, heatmapChart(kindLabel(kind) + " · " + run,
            rows)));
      }
    }
    return panels.isEmpty() ? Optional.empty() : Optional.of(new Figure(id, title, caption, uniqueIds(panels)));
  }

  /** Columns: checkpoints by tokens seen; rows: layers, "embed" (layer -1) first. */
  static HeatMapChart heatmapChart(String title, List<ResultRow> rows) {
    TreeSet<Long> tokens = new TreeSet<>();
    TreeSet<Integer> layers = new TreeSet<>();
    for (ResultRow r : rows) {
      tokens.add(r.tokensSeen());
      layers.add(r.layer());
    }
    List<Long> xs = new ArrayList<>(tokens);
    List<Integer> ys = new ArrayList<>(layers);
    List<Number[]> cells = new ArrayList<>();
    Set<Long> filled = new HashSet<>();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (ResultRow r : rows) {
      int xi = xs.indexOf(r.tokensSeen());
      int yi = ys.indexOf(r.layer());
      if (!filled.add((long) xi << 32 | yi)) {
        throw new IllegalArgumentException("results table: run '" + r.run() + "' has two values for key '"
            + r.key() + "' at layer " + r.layer() + ", " + r.tokensSeen() + " tokens");
      }
      cells.add(new Number[] {xi, yi, r.value()});
      min = Math.min(min, r.value());
      max = Math.max(max, r.value());
    }
    List<String> xLabels = xs.stream().map(TokenAxis::label).toList();
    List<String> yLabels = ys.stream().map(l -> l < 0 ? "embed" : Integer.toString(l)).toList();
    HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle("tokens seen").yAxisTitle("layer").build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE).setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setXAxisLabelRotation(xs.size() > 8 ? 90 : 0);
    chart.getStyler().setShowValue(xs.size() * ys.size() <= MAX_LABELLED_CELLS).setHeatMapValueDecimalPattern("0.00");
    // A constant grid would make the colour scale empty (min == max).
    if (max == min) {
      max = min + 1e-9;
    }
    chart.getStyler().setMin(min).setMax(max);
    chart.addSeries("value", xLabels, yLabels, cells);
    return chart;
  }

  static String kindLabel(String kind) {
    return switch (kind) {
      case "pcfg" -> "PCFG";
      case "ngram" -> "N-gram";
      case "olmo" -> "OLMo";
      default -> kind;
    };
  }

  /** Panel ids become file names: keep [A-Za-z0-9._-], and number any that then collide. */
  private static List<Panel> uniqueIds(List<Panel> panels) {
    List<Panel> out = new ArrayList<>();
    Set<String> used = new HashSet<>();
    for (Panel p : panels) {
      String base = p.id().replaceAll("[^A-Za-z0-9._-]", "_");
      String name = base;
      for (int i = 2; !used.add(name); i++) {
        name = base + "-" + i;
      }
      out.add(new Panel(name, p.modelKind(), p.run(), p.chart()));
    }
    return out;
  }
}
