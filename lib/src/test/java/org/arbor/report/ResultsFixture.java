package org.arbor.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.arbor.results.ResultRow;
import org.arbor.results.ResultsTable;

/**
 * A hand-made results table of two runs (PCFG and N-gram; 2 layers, 4 heads, log-spaced checkpoints)
 * with every probe key the report draws, values given by closed formulas so tests know each figure's
 * data, plus rows the report must not draw (per-head compensation, k=2, r2) and one error row.
 * {@code main(dir)} writes it as a results table (the notebooks' input in CI until the quickstart's
 * real table takes its place).
 */
public final class ResultsFixture {
  public static final String PCFG = "quick-pcfg";
  public static final String NGRAM = "quick-ngram";
  public static final long[] STEPS = {1, 4, 16, 64};
  public static final long TOKENS_PER_STEP = 8192;
  public static final int LAYERS = 2;
  public static final int HEADS = 4;
  public static final String ERROR = "geometry: residual cache out of memory";

  private ResultsFixture() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ResultsFixture RESULTS_DIR");
      System.exit(2);
    }
    ResultsTable.write(Path.of(args[0]).resolve("part-00000.parquet"), rows());
    System.out.println("wrote " + rows().size() + " rows to " + args[0]);
  }

  public static List<ResultRow> rows() {
    List<ResultRow> out = new ArrayList<>();
    add(out, PCFG, "pcfg", 0);
    add(out, NGRAM, "ngram", 1);
    return out;
  }

  static int kindIndex(String run) {
    return run.equals(PCFG) ? 0 : 1;
  }

  /** prefix_matching of (layer, head): peaks at a different head per checkpoint, so the max is not one head's. */
  public static double prefixMatching(String run, int s, int layer, int head) {
    return 0.1 * ((head + s + layer) % HEADS) + 0.01 * layer + 0.2 * kindIndex(run);
  }

  public static double paperDuplicate(String run, int s, int k) {
    return 0.5 - 0.05 * k + 0.02 * s + 0.1 * kindIndex(run);
  }

  public static double fvGain(String run, String task, int s, int layer) {
    return (task.equals("antonym") ? 0.3 : -0.2) + 0.05 * s - 0.1 * layer + 0.01 * kindIndex(run);
  }

  public static double compensation(String run, int s, int layer) {
    return 0.25 * layer - 0.03 * s + 0.5 * kindIndex(run);
  }

  public static double probeAccuracy(String run, String target, int s, int layer) {
    // layer -1 is the embedding point
    return (target.equals("category") ? 0.6 : 0.3) + 0.05 * (layer + 1) + 0.02 * s - 0.1 * kindIndex(run);
  }

  private static void add(List<ResultRow> out, String run, String kind, int kindIndex) {
    for (int s = 0; s < STEPS.length; s++) {
      long step = STEPS[s];
      long tokens = step * TOKENS_PER_STEP;
      String ckpt = "out/runs/" + run + "/checkpoints/step-" + step;
      Row r = (probe, layer, head, key, value) ->
          out.add(new ResultRow(run, kind, ckpt, step, tokens, probe, layer, head, key, value, null));
      r.add("loss", -1, -1, "train_loss", 6.0 - s - 0.5 * kindIndex);
      r.add("loss", -1, -1, "heldout_loss", 6.2 - s - 0.5 * kindIndex);
      r.add("loss", -1, -1, "entropy_floor", 3.9 - 0.4 * kindIndex);
      for (int layer = 0; layer < LAYERS; layer++) {
        for (int head = 0; head < HEADS; head++) {
          r.add("induction", layer, head, "prefix_matching", prefixMatching(run, s, layer, head));
          r.add("induction", layer, head, "duplicate_token", 0.9);
          r.add("function_vector", layer, head, "cie:task=antonym", 0.01 * head);
          r.add("hydra", layer, head, "compensation", 100 + head);
        }
        for (String task : List.of("antonym", "successor")) {
          r.add("function_vector", layer, -1, "fv_gain:task=" + task, fvGain(run, task, s, layer));
        }
        r.add("function_vector", layer, -1, "paper_patch_gain:task=antonym", fvGain(run, "antonym", s, layer) / 2);
        r.add("hydra", layer, -1, "compensation", compensation(run, s, layer));
        r.add("hydra", layer, -1, "paper_compensation:k=1", compensation(run, s, layer) + 1);
        r.add("hydra", layer, -1, "paper_compensation:k=2", -7);
        for (String target : List.of("category", "sentence")) {
          r.add("geometry", layer, -1, "probe_accuracy:target=" + target, probeAccuracy(run, target, s, layer));
        }
        r.add("geometry", layer, -1, "probe_r2:target=rank", 0.4);
      }
      for (String target : List.of("category", "sentence")) {
        r.add("geometry", -1, -1, "probe_accuracy:target=" + target + ",point=embed",
            probeAccuracy(run, target, s, -1));
      }
      for (int k = 1; k <= 3; k++) {
        r.add("induction", -1, -1, "duplicate_token_paper:k=" + k, paperDuplicate(run, s, k));
      }
      r.add("induction", -1, -1, "icl_score", -0.1 * s - 0.05 * kindIndex);
      r.add("induction", -1, -1, "loss_early", 5.0);
      r.add("induction", -1, -1, "loss_late", 5.0 - 0.1 * s);
      if (kind.equals("pcfg")) {
        r.add("structure", -1, -1, "verb_after_s", 0.2 * s);
        r.add("structure", -1, -1, "object_after_sv", 0.1 + 0.2 * s);
        r.add("structure", -1, -1, "subject_after_svoc", 0.05 + 0.2 * s);
        r.add("structure", -1, -1, "grammatical_fraction", 0.25 * s);
      }
      if (kind.equals("ngram") && s == 2) {
        out.add(ResultRow.error(run, kind, ckpt, step, tokens, "geometry", ERROR));
      }
    }
  }

  private interface Row {
    void add(String probe, int layer, int head, String key, double value);
  }
}
