package org.arbor.probe.hydra;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.arbor.config.ConfigNode;
import org.arbor.model.CausalLm;
import org.arbor.probe.Probe;
import org.arbor.probe.ProbeContext;
import org.arbor.probe.ProbeResult;

/**
 * The Hydra effect (self-repair), probe "hydra", in two forms:
 *
 * <ul>
 *   <li>McGrath et al. 2023, "The Hydra Effect: Emergent self-repair in language model computations"
 *       ({@link ResampleAblation}): per layer (head -1) and per attention head, resample ablation;
 *       keys {@code total_effect}, {@code direct_effect}, {@code compensation} (= direct - total),
 *       all clean minus ablated, means over prompts and the last {@code positions} positions. The
 *       layer's unit is its attention output (McGrath et al. ablate attention layers;
 *       {@code unit: attention}, default) or the whole block, attention plus MLP ({@code unit: block}).
 *       The target token is the clean run's top-1 prediction ({@code target: top1}, default; McGrath
 *       et al.'s maximum-likelihood token) or the true next token of the text ({@code target: next}).
 *   <li>The paper's zero-ablation logit lens ({@link ZeroAblationLens}): keys {@code paper_diff:k=K}
 *       and {@code paper_compensation:k=K} per layer L >= K.
 * </ul>
 *
 * <p>Settings: {@code prompts} (64), {@code length} (tokens per prompt, 64), {@code positions} (the
 * last positions of each prompt that are measured, 32), {@code inputs} ({@code corpus}: held-out
 * text of the model's corpus, or the context's text windows for OLMo; {@code random}: uniform
 * tokens as in the paper), {@code target}, {@code unit}, {@code heads} (per-head rows, true),
 * {@code paper} (the paper's variant, true), {@code batch_size} (16). Prompt i and its resample
 * source are drawn from (seed, purpose, i), independent of the batch size.
 */
public final class HydraProbe implements Probe {
  public static final String NAME = "hydra";

  public enum Inputs { CORPUS, RANDOM }

  public enum Target { TOP1, NEXT }

  public enum Unit { ATTENTION, BLOCK }

  /** Explicit settings (for tests and code); see the class comment for their meaning. */
  public record Settings(int prompts, int length, int positions, Inputs inputs, Target target, Unit unit,
      boolean heads, boolean paper, int batchSize) {
    public Settings {
      if (prompts < 1 || length < 1 || batchSize < 1) {
        throw new IllegalArgumentException("hydra: prompts, length and batch_size must be at least 1");
      }
      if (positions < 1 || positions > length) {
        throw new IllegalArgumentException("hydra: positions must be in [1, length = " + length + "], got " + positions);
      }
      if (target == Target.NEXT && inputs == Inputs.RANDOM) {
        throw new IllegalArgumentException("hydra: target 'next' needs text, not random inputs");
      }
    }

    public static Settings defaults() {
      return new Settings(64, 64, 32, Inputs.CORPUS, Target.TOP1, Unit.ATTENTION, true, true, 16);
    }
  }

  private final Settings settings;

  public HydraProbe(Settings settings) {
    this.settings = settings;
  }

  /** From a YAML mapping; unknown keys and bad values are errors naming the file and key. */
  public HydraProbe(ConfigNode n) {
    Settings d = Settings.defaults();
    int prompts = n.positive("prompts", d.prompts());
    int length = n.positive("length", d.length());
    int positions = n.positive("positions", Math.min(d.positions(), length));
    if (positions > length) {
      throw n.error("positions", "must not exceed length " + length + ", got " + positions);
    }
    Inputs inputs = choice(n, "inputs", Inputs.class, d.inputs());
    Target target = choice(n, "target", Target.class, d.target());
    if (target == Target.NEXT && inputs == Inputs.RANDOM) {
      throw n.error("target", "'next' needs text inputs, and inputs is 'random'");
    }
    Unit unit = choice(n, "unit", Unit.class, d.unit());
    boolean heads = n.bool("heads", d.heads());
    boolean paper = n.bool("paper", d.paper());
    int batch = n.positive("batch_size", d.batchSize());
    n.finish();
    this.settings = new Settings(prompts, length, positions, inputs, target, unit, heads, paper, batch);
  }

  private static <E extends Enum<E>> E choice(ConfigNode n, String key, Class<E> type, E fallback) {
    String v = n.string(key, fallback.name().toLowerCase(Locale.ROOT));
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v)) {
        return e;
      }
    }
    throw n.error(key, "expected one of " + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT)
        + ", got '" + v + "'");
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
    CausalLm model = context.model();
    int t = settings.length();
    if (t > model.maxPositions()) {
      throw new IllegalArgumentException("hydra: length " + t + " exceeds the model's " + model.maxPositions() + " positions");
    }
    boolean next = settings.target() == Target.NEXT;
    HydraInputs inputs = new HydraInputs(context, settings.inputs());
    ResampleAblation resample = new ResampleAblation(model, settings.unit(), settings.heads(), settings.positions());
    ZeroAblationLens lens = settings.paper() ? new ZeroAblationLens(model) : null;
    for (int start = 0; start < settings.prompts(); start += settings.batchSize()) {
      int b = Math.min(settings.batchSize(), settings.prompts() - start);
      int[][] prompts = new int[b][];
      int[][] following = next ? new int[b][] : null;
      int[][] sources = new int[b][];
      for (int i = 0; i < b; i++) {
        // With target 'next' the prompt is drawn one token longer; that token is the last target.
        int[] text = inputs.draw(HydraInputs.PROMPT_PURPOSE, start + i, t + (next ? 1 : 0));
        prompts[i] = Arrays.copyOf(text, t);
        if (next) {
          following[i] = Arrays.copyOfRange(text, 1, t + 1);
        }
        sources[i] = inputs.draw(HydraInputs.SOURCE_PURPOSE, start + i, t);
      }
      resample.add(context.manager(), prompts, following, sources);
      if (lens != null) {
        lens.add(context.manager(), prompts);
      }
    }
    List<ProbeResult> out = new ArrayList<>(resample.results(NAME));
    if (lens != null) {
      out.addAll(lens.results(NAME));
    }
    return out;
  }
}
