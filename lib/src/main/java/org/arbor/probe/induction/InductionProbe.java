package org.arbor.probe.induction;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.arbor.config.ConfigNode;
import org.arbor.model.CausalLm;
import org.arbor.model.Hooks;
import org.arbor.probe.Probe;
import org.arbor.probe.ProbeContext;
import org.arbor.probe.ProbeResult;

/**
 * Induction heads (Olsson et al. 2022, "In-context learning and induction heads"; scores as in
 * TransformerLens) and the paper's duplicate-token variant (arXiv 2603.06592, released probe code).
 *
 * <p>Inputs: {@code samples} sequences [r; r] of n random tokens repeated ({@link RepeatedTokens};
 * positions 0..2n-1, no BOS). From the attention patterns ({@code blocks.L.attn.pattern}):
 * <ul>
 *   <li>{@code prefix_matching} (L, h): mean attention from each position i of the second copy
 *       (i = n..2n-1) to i-n+1, the token after the earlier occurrence of the current token.
 *   <li>For K = 1..k_max, d_K(L, h) = mean attention from query q in n+K..2n-1 to key q-n, the
 *       earlier copy of the same token (the paper's code). {@code duplicate_token} (L, h) is the mean
 *       of d_K over K; {@code duplicate_token_paper:k=K} (-1, -1) is max over all heads of d_K.
 *   <li>{@code copying} (L, h): the OV circuit's direct logit effect on the attended token, see
 *       {@link CopyingScore}.
 * </ul>
 * On these corpora the two attention scores measure different things (paper-facts section 5): a
 * PCFG slot is drawn afresh from the document's ranking, so attending to earlier same-token
 * positions (duplicate-token) pays, while the classic prefix-matching step does not.
 *
 * <p>{@code icl_score}, {@code loss_early}, {@code loss_late} (-1, -1): see {@link InContextLoss};
 * omitted when the context has neither a corpus directory nor text windows.
 *
 * <p>Token range: ids [token_min, token_max) when set; otherwise the paper's [100, V-100) when it
 * holds at least n ids, else (small vocabularies, e.g. V = 67) the corpus's content tokens
 * [0, contentTokens), which exclude boundary and special tokens, or all of [0, V) without a corpus.
 *
 * <p>Settings (YAML): sequence_length (64), samples (20), token_min and token_max (both or neither),
 * with_replacement (true, as randint), k_max (10), icl_windows (64), early_fraction (0.1),
 * late_fraction (0.1), context (0: the model's max positions), batch_size (8).
 */
public final class InductionProbe implements Probe {
  public static final String NAME = "induction";

  /** The probe's settings; tokenMin = tokenMax = -1 selects the default token range. */
  public record Settings(int sequenceLength, int samples, int tokenMin, int tokenMax, boolean withReplacement,
      int kMax, int iclWindows, double earlyFraction, double lateFraction, int context, int batchSize) {
    public Settings {
      if (sequenceLength < 2 || samples < 1 || iclWindows < 1 || batchSize < 1 || context < 0) {
        throw new IllegalArgumentException("induction: sequence_length >= 2, samples, icl_windows and batch_size >= 1,"
            + " context >= 0 required");
      }
      if (kMax < 1 || kMax >= sequenceLength) {
        throw new IllegalArgumentException("induction: k_max must lie in [1, sequence_length - 1], got " + kMax);
      }
      if ((tokenMin < 0) != (tokenMax < 0) || (tokenMin >= 0 && tokenMax <= tokenMin)) {
        throw new IllegalArgumentException("induction: give both token_min < token_max, or neither");
      }
      if (!(earlyFraction > 0 && earlyFraction <= 1 && lateFraction > 0 && lateFraction <= 1)) {
        throw new IllegalArgumentException("induction: early_fraction and late_fraction must lie in (0, 1]");
      }
    }

    public static Settings defaults() {
      return new Settings(64, 20, -1, -1, true, 10, 64, 0.1, 0.1, 0, 8);
    }
  }

  private final Settings settings;

  public InductionProbe(Settings settings) {
    this.settings = settings;
  }

  /** From YAML settings (keys above); unknown keys are errors. */
  public InductionProbe(ConfigNode n) {
    Settings d = Settings.defaults();
    int length = n.count("sequence_length", d.sequenceLength());
    if (length < 2) {
      throw n.error("sequence_length", "must be at least 2, got " + length);
    }
    int kMax = n.count("k_max", Math.min(d.kMax(), length - 1));
    if (kMax < 1 || kMax >= length) {
      throw n.error("k_max", "must lie in [1, sequence_length - 1], got " + kMax);
    }
    if (n.has("token_min") != n.has("token_max")) {
      throw n.error(n.has("token_min") ? "token_max" : "token_min", "token_min and token_max go together");
    }
    int lo = n.has("token_min") ? n.count("token_min") : -1;
    int hi = n.has("token_max") ? n.count("token_max") : -1;
    if (lo >= 0 && hi <= lo) {
      throw n.error("token_max", "must exceed token_min (" + lo + "), got " + hi);
    }
    double early = fraction(n, "early_fraction", d.earlyFraction());
    double late = fraction(n, "late_fraction", d.lateFraction());
    this.settings = new Settings(length, n.positive("samples", d.samples()), lo, hi,
        n.bool("with_replacement", d.withReplacement()), kMax, n.positive("icl_windows", d.iclWindows()), early, late,
        n.count("context", d.context()), n.positive("batch_size", d.batchSize()));
    n.finish();
  }

  private static double fraction(ConfigNode n, String key, double fallback) {
    double v = n.number(key, fallback);
    if (!(v > 0 && v <= 1)) {
      throw n.error(key, "must lie in (0, 1], got " + v);
    }
    return v;
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The token range [lo, hi) the random sequences draw from (see the class comment). */
  static int[] tokenRange(Settings s, ProbeContext ctx) {
    int v = ctx.model().vocabSize();
    if (s.tokenMin() >= 0) {
      if (s.tokenMax() > v) {
        throw new IllegalArgumentException("induction: token_max " + s.tokenMax() + " exceeds the vocabulary " + v);
      }
      return new int[] {s.tokenMin(), s.tokenMax()};
    }
    if (v - 200 >= s.sequenceLength()) {
      return new int[] {100, v - 100};
    }
    if (ctx.corpus() != null) {
      return new int[] {0, Math.min(v, ctx.corpus().process().vocabulary().contentTokens())};
    }
    return new int[] {0, v};
  }

  @Override
  public List<ProbeResult> run(ProbeContext ctx) {
    CausalLm model = ctx.model();
    int n = settings.sequenceLength();
    if (2 * n > model.maxPositions()) {
      throw new IllegalArgumentException("induction: sequence_length " + n + " repeated gives " + 2 * n
          + " tokens, more than the model's " + model.maxPositions() + " positions");
    }
    int[] range = tokenRange(settings, ctx);
    RepeatedTokens seq = RepeatedTokens.draw(ctx.seed(), settings.samples(), n, range[0], range[1],
        settings.withReplacement());
    int layers = model.layers();
    int heads = model.heads();
    int kMax = settings.kMax();
    double[][] prefix = new double[layers][heads];
    double[][][] duplicate = new double[kMax + 1][layers][heads]; // duplicate[K]: sums over q in n+K..2n-1
    double scaleSum = 0;
    int t = 2 * n;
    for (int start = 0; start < settings.samples(); start += settings.batchSize()) {
      int b = Math.min(settings.batchSize(), settings.samples() - start);
      int[] flat = new int[b * t];
      for (int i = 0; i < b; i++) {
        System.arraycopy(seq.ids()[start + i], 0, flat, i * t, t);
      }
      try (NDManager m = ctx.manager().newSubManager()) {
        Hooks hooks = new Hooks().read("final_norm.scale");
        for (int l = 0; l < layers; l++) {
          hooks.read("blocks." + l + ".attn.pattern");
        }
        model.forward(m.create(flat, new Shape(b, t)), hooks);
        for (float s : hooks.get("final_norm.scale").toFloatArray()) {
          scaleSum += s;
        }
        for (int l = 0; l < layers; l++) {
          float[] p = hooks.get("blocks." + l + ".attn.pattern").toFloatArray(); // [b, H, T, T]
          for (int i = 0; i < b; i++) {
            for (int h = 0; h < heads; h++) {
              int base = (i * heads + h) * t * t;
              for (int q = n; q < t; q++) {
                prefix[l][h] += p[base + q * t + q - n + 1];
                double dup = p[base + q * t + q - n];
                // q contributes to d_K for every K with n + K <= q.
                for (int k = 1; k <= Math.min(kMax, q - n); k++) {
                  duplicate[k][l][h] += dup;
                }
              }
            }
          }
        }
      }
    }
    double finalScale = scaleSum / ((double) settings.samples() * t);
    int[] distinct = seq.distinct();
    List<ProbeResult> out = new ArrayList<>();
    double[] paper = new double[kMax + 1];
    java.util.Arrays.fill(paper, Double.NEGATIVE_INFINITY);
    for (int l = 0; l < layers; l++) {
      double[] copying;
      try (NDManager m = ctx.manager().newSubManager()) {
        copying = CopyingScore.of(model, l, distinct, finalScale, m);
      }
      for (int h = 0; h < heads; h++) {
        double dupMean = 0;
        for (int k = 1; k <= kMax; k++) {
          double d = duplicate[k][l][h] / ((double) settings.samples() * (n - k));
          dupMean += d / kMax;
          paper[k] = Math.max(paper[k], d);
        }
        out.add(ProbeResult.head(NAME, l, h, "prefix_matching", prefix[l][h] / ((double) settings.samples() * n)));
        out.add(ProbeResult.head(NAME, l, h, "duplicate_token", dupMean));
        out.add(ProbeResult.head(NAME, l, h, "copying", copying[h]));
      }
    }
    for (int k = 1; k <= kMax; k++) {
      out.add(ProbeResult.of(NAME, "duplicate_token_paper:k=" + k, paper[k]));
    }
    InContextLoss.Result icl = InContextLoss.measure(ctx, settings.iclWindows(), settings.context(),
        settings.earlyFraction(), settings.lateFraction(), settings.batchSize());
    if (icl != null) {
      out.add(ProbeResult.of(NAME, "icl_score", icl.score()));
      out.add(ProbeResult.of(NAME, "loss_early", icl.early()));
      out.add(ProbeResult.of(NAME, "loss_late", icl.late()));
    }
    return out;
  }
}
