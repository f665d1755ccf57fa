package org.arbor.probe.fv;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.arbor.config.ConfigNode;
import org.arbor.grammar.PcfgProcess;
import org.arbor.model.CausalLm;
import org.arbor.model.Hooks;
import org.arbor.probe.Probe;
import org.arbor.probe.ProbeContext;
import org.arbor.probe.ProbeResult;

/**
 * Function vectors (Todd et al. 2024, "Function vectors in large language models"), and the
 * layer-wise patching variant of arXiv 2603.06592.
 *
 * <p>Per in-context task T (see {@link IclTask}):
 *
 * <ul>
 *   <li>mean head outputs: each head's contribution to the residual stream (blocks.L.attn.head_result,
 *       after the output projection) at the last token, averaged over clean in-context prompts;
 *   <li>{@code cie:task=T} (L, h): the causal indirect effect, P(answer | the head's mean output
 *       patched in at the last position of a prompt whose demonstration labels were shuffled) minus
 *       P(answer | that shuffled prompt), averaged over shuffled prompts;
 *   <li>the function vector: the sum of the mean outputs of the k heads with the largest CIE;
 *   <li>{@code fv_gain:task=T} (L): mean gain in P(answer) on zero-shot prompts when the function
 *       vector is added to the residual stream after block L (blocks.L.resid_post, at the last
 *       position; Todd et al. add it to the output of layer L), and {@code fv_accuracy:task=T} (L)
 *       the top-1 accuracy so; {@code zero_shot_accuracy:task=T} the top-1 accuracy without it;
 *   <li>{@code paper_patch_gain:task=T} (L): the paper's variant. A source zero-shot prompt
 *       ([s1 v1 o1 C s1 v1] for the paper's task) and a target zero-shot prompt ([s2 v2 o2 C s2 v2])
 *       drawn independently; the source's attention output (blocks.L.attn_out) at the last position
 *       replaces the target's at layer L; the value is P(target's answer | patched target) minus
 *       P(target's answer | target), averaged over pairs. Positive = the source's attention output
 *       helps the target produce its own answer. The paper describes this measure as the gain on
 *       the target's answer at each layer ("function vector improvement"); that it is a gain in
 *       probability, and a replacement rather than an addition, is this implementation's reading.
 * </ul>
 *
 * P(answer) is the probability mass on the task's correct tokens at the last position (one token,
 * or a whole category for the successor task). Prompts are drawn from the context's seed; the mean,
 * CIE, zero-shot and source prompt sets are independent draws. With a grammar (a PCFG corpus) the
 * tasks use its classes; without one (e.g. OLMo) only tasks defined on a plain id range run.
 */
public final class FunctionVectorProbe implements Probe {
  public static final String NAME = "function_vector";
  static final long MEAN_PROMPTS = 0x46564D45L; // "FVME"
  static final long CIE_PROMPTS = 0x46564349L; // "FVCI"
  static final long ZERO_SHOT_PROMPTS = 0x46565A53L; // "FVZS"
  static final long SOURCE_PROMPTS = 0x46565352L; // "FVSR"

  private final Settings settings;

  /**
   * @param tasks task names, or null for every task the context allows
   * @param prompts prompts per task in each prompt set (mean, CIE, zero-shot, source)
   * @param demonstrations demonstrations per in-context prompt
   * @param topK heads in the function vector, or {@link #SCALED} for {@link #defaultTopK}
   * @param batchSize prompts per forward pass
   * @param recallItems clauses before the query in the recall task
   * @param range ids [first, last] of the tasks on a model without a grammar, or null for
   *     [V/10, V-1] (the lowest ids of BPE vocabularies are bytes, punctuation and specials)
   * @param separator token ending each demonstration on a model without a grammar, or -1 for none
   */
  public record Settings(List<String> tasks, int prompts, int demonstrations, int topK, int batchSize, int recallItems,
      int[] range, int separator) {
    public static final int SCALED = -1;

    public Settings {
      tasks = tasks == null ? null : List.copyOf(tasks);
      if (prompts < 1 || demonstrations < 0 || batchSize < 1 || topK < SCALED) {
        throw new IllegalArgumentException("prompts and batch_size must be positive, demonstrations and top_k not negative");
      }
      if (tasks != null) {
        for (String t : tasks) {
          IclTask.named(t, recallItems);
        }
      }
      if (range != null && (range.length != 2 || range[0] < 0 || range[1] < range[0])) {
        throw new IllegalArgumentException("range must be [first, last] with 0 <= first <= last");
      }
      new RecallTask(recallItems);
    }

    public static Settings defaults() {
      return new Settings(null, 32, 10, SCALED, 16, 2, null, -1);
    }
  }

  /** What one task measured (the rows plus diagnostics that have no results key). */
  public record TaskMeasurement(
      String task,
      double[][] cie,
      int[][] functionVectorHeads,
      float[] functionVector,
      double[] fvGain,
      double[] fvAccuracy,
      double zeroShotProbability,
      double zeroShotAccuracy,
      double[] paperPatchGain,
      double inContextProbability,
      double inContextAccuracy,
      double shuffledProbability,
      double shuffledAccuracy) {}

  public FunctionVectorProbe(Settings settings) {
    this.settings = settings;
  }

  /**
   * Settings keys: tasks (list; default all the context allows: paper, recall, successor with a
   * grammar, recall without), prompts (32), demonstrations (10), top_k (min(10, layers*heads/4)),
   * batch_size (16), recall_items (2), range ([first, last]; only without a grammar; default from a
   * tenth of the vocabulary to the end of the tokenizer's ordinary ids, see {@link #defaultRange}),
   * separator (token id; only without a grammar; default none).
   */
  public FunctionVectorProbe(ConfigNode settings) {
    this(read(settings));
  }

  private static Settings read(ConfigNode s) {
    List<String> tasks = s.has("tasks") ? s.stringList("tasks") : null;
    int recallItems = s.count("recall_items", 2);
    if (tasks != null) {
      for (String t : tasks) {
        try {
          IclTask.named(t, recallItems);
        } catch (IllegalArgumentException e) {
          throw s.error("tasks", e.getMessage());
        }
      }
    }
    int prompts = s.count("prompts", 32);
    if (prompts == 0) {
      throw s.error("prompts", "must be at least 1");
    }
    int demonstrations = s.count("demonstrations", 10);
    int topK = s.has("top_k") ? s.count("top_k") : Settings.SCALED;
    int batch = s.count("batch_size", 16);
    if (batch == 0) {
      throw s.error("batch_size", "must be at least 1");
    }
    if (recallItems < 2) {
      throw s.error("recall_items", "must be at least 2 (the query repeats a clause that is not the last)");
    }
    int[] range = null;
    if (s.has("range")) {
      List<?> r = s.list("range");
      if (r.size() != 2) {
        throw s.error("range", "expected [first, last]");
      }
      range = new int[] {(int) s.toNumber(r.get(0), s.key("range")), (int) s.toNumber(r.get(1), s.key("range"))};
      if (range[0] < 0 || range[1] < range[0] + 7) {
        throw s.error("range", "expected 0 <= first and at least 8 ids, got " + Arrays.toString(range));
      }
    }
    int separator = s.intValue("separator", -1);
    s.finish();
    return new Settings(tasks, prompts, demonstrations, topK, batch, recallItems, range, separator);
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * k = min(10, max(1, layers * heads / 4)): Todd et al. use 10 heads of models with hundreds to
   * thousands of heads (a few percent, the heads whose CIE stands out); on a small model 10 would be
   * every head, and a vector of all heads' means is the mean attention output, no longer a selection.
   * A quarter keeps it selective (2 of the quickstart's 8 heads) and gives the paper's 10 from its
   * 64 heads.
   */
  public static int defaultTopK(int layers, int heads) {
    return Math.min(10, Math.max(1, layers * heads / 4));
  }

  @Override
  public List<ProbeResult> run(ProbeContext context) {
    return rows(measure(context));
  }

  /** The results rows of measurements (keys as in org.arbor.probe's package documentation). */
  public static List<ProbeResult> rows(List<TaskMeasurement> measured) {
    List<ProbeResult> rows = new ArrayList<>();
    for (TaskMeasurement m : measured) {
      String q = ":task=" + m.task();
      int layers = m.fvGain().length;
      for (int l = 0; l < layers; l++) {
        for (int h = 0; h < m.cie()[l].length; h++) {
          rows.add(ProbeResult.head(NAME, l, h, "cie" + q, m.cie()[l][h]));
        }
      }
      for (int l = 0; l < layers; l++) {
        rows.add(ProbeResult.layer(NAME, l, "fv_gain" + q, m.fvGain()[l]));
      }
      for (int l = 0; l < layers; l++) {
        rows.add(ProbeResult.layer(NAME, l, "fv_accuracy" + q, m.fvAccuracy()[l]));
      }
      rows.add(ProbeResult.of(NAME, "zero_shot_accuracy" + q, m.zeroShotAccuracy()));
      for (int l = 0; l < layers; l++) {
        rows.add(ProbeResult.layer(NAME, l, "paper_patch_gain" + q, m.paperPatchGain()[l]));
      }
    }
    return rows;
  }

  /** Every task's measurement, in the order of the settings' task list. */
  public List<TaskMeasurement> measure(ProbeContext context) {
    CausalLm model = context.model();
    TaskVocabulary vocabulary = vocabulary(context, model.vocabSize());
    List<String> names = settings.tasks();
    if (names == null) {
      names = vocabulary.fromGrammar() ? List.of(PaperTask.NAME, RecallTask.NAME, SuccessorTask.NAME) : List.of(RecallTask.NAME);
    }
    List<TaskMeasurement> out = new ArrayList<>();
    for (String n : names) {
      IclTask task = IclTask.named(n, settings.recallItems());
      if (task.needsGrammar() && !vocabulary.fromGrammar()) {
        throw new IllegalArgumentException(NAME + " settings key 'tasks': task '" + n + "' is defined by the grammar of "
            + "the model's corpus, and this model has none (tasks on a plain id range: " + RecallTask.NAME + ")");
      }
      out.add(measure(model, context.manager(), task, vocabulary, context.seed()));
    }
    return out;
  }

  private TaskVocabulary vocabulary(ProbeContext context, int vocabSize) {
    TaskVocabulary v;
    if (context.hasCorpus() && context.corpus().process() instanceof PcfgProcess p) {
      v = TaskVocabulary.of(p.grammar());
    } else {
      int[] r = settings.range() != null ? settings.range() : defaultRange(vocabSize, context.ordinaryIds());
      v = TaskVocabulary.ofRange(r[0], r[1], settings.separator());
    }
    if (v.maxId() >= vocabSize) {
      throw new IllegalArgumentException(NAME + ": the tasks use token " + v.maxId() + " (" + v.source()
          + "), beyond the model's vocabulary of " + vocabSize);
    }
    return v;
  }

  /**
   * Without a grammar or a configured range: ids from a tenth of the vocabulary (past the
   * tokenizer's specials and most byte-level pieces) to the end of the run of ordinary ids that
   * starts there, so no prompt holds an added token or an untrained padding row.
   */
  static int[] defaultRange(int vocabSize, java.util.BitSet ordinary) {
    int first = vocabSize / 10;
    if (ordinary == null) {
      return new int[] {first, vocabSize - 1};
    }
    first = ordinary.nextSetBit(first);
    if (first < 0 || first >= vocabSize) {
      throw new IllegalArgumentException(NAME + ": the tokenizer has no ordinary token id from " + vocabSize / 10
          + " on; set function_vector.range");
    }
    int end = Math.min(vocabSize, ordinary.nextClearBit(first));
    return new int[] {first, end - 1};
  }

  /** One task on one model. */
  public TaskMeasurement measure(CausalLm model, NDManager manager, IclTask task, TaskVocabulary vocabulary, long seed) {
    int layers = model.layers();
    int heads = model.heads();
    int d = model.hidden();
    int n = settings.prompts();
    Prompts prompts = new Prompts(task, vocabulary, seed, settings.demonstrations());

    // Mean head outputs at the last token of clean in-context prompts.
    List<Prompt> clean = checked(prompts.inContext(MEAN_PROMPTS, n), model);
    double[][] sum = new double[layers * heads][d];
    Tally icl = new Tally();
    for (List<Prompt> batch : batches(clean)) {
      Hooks hooks = new Hooks();
      for (int l = 0; l < layers; l++) {
        hooks.read(headResult(l));
      }
      icl.add(Readout.run(model, manager, batch, hooks, h -> {
        for (int l = 0; l < layers; l++) {
          float[] x = Readout.lastPosition(h, headResult(l)); // [B, H, D]
          for (int i = 0; i < batch.size(); i++) {
            for (int hh = 0; hh < heads; hh++) {
              for (int k = 0; k < d; k++) {
                sum[l * heads + hh][k] += x[(i * heads + hh) * d + k];
              }
            }
          }
        }
      }));
    }
    float[][] mean = new float[layers * heads][d];
    for (int j = 0; j < mean.length; j++) {
      for (int k = 0; k < d; k++) {
        mean[j][k] = (float) (sum[j][k] / n);
      }
    }

    // Causal indirect effect of each head's mean output on shuffled-label prompts.
    List<Prompt> corrupted = checked(prompts.shuffled(CIE_PROMPTS, n), model);
    double[] cie = new double[layers * heads];
    Tally shuffled = new Tally();
    for (List<Prompt> batch : batches(corrupted)) {
      Readout.Scores base = Readout.run(model, manager, batch, perHead(layers), null);
      shuffled.add(base);
      for (int l = 0; l < layers; l++) {
        for (int h = 0; h < heads; h++) {
          Hooks hooks = perHead(layers).write(headResult(l), LastPosition.replaceHead(h, mean[l * heads + h]));
          Readout.Scores patched = Readout.run(model, manager, batch, hooks, null);
          for (int i = 0; i < batch.size(); i++) {
            cie[l * heads + h] += patched.probability()[i] - base.probability()[i];
          }
        }
      }
    }
    for (int j = 0; j < cie.length; j++) {
      cie[j] /= n;
    }

    // The function vector: the sum of the top-k heads' mean outputs (ties: lower layer, head first).
    int k = Math.min(layers * heads, settings.topK() == Settings.SCALED ? defaultTopK(layers, heads) : settings.topK());
    int[] top = IntStream.range(0, cie.length).boxed()
        .sorted(Comparator.<Integer>comparingDouble(j -> -cie[j]).thenComparingInt(j -> j))
        .limit(k).mapToInt(Integer::intValue).toArray();
    double[] fvSum = new double[d];
    int[][] topHeads = new int[k][];
    for (int i = 0; i < k; i++) {
      topHeads[i] = new int[] {top[i] / heads, top[i] % heads};
      for (int x = 0; x < d; x++) {
        fvSum[x] += mean[top[i]][x];
      }
    }
    float[] fv = new float[d];
    for (int x = 0; x < d; x++) {
      fv[x] = (float) fvSum[x];
    }

    // Zero-shot prompts: without intervention, with the function vector after each block, and as
    // targets of the paper's patching from independent source prompts.
    List<Prompt> zero = checked(prompts.zeroShot(ZERO_SHOT_PROMPTS, n), model);
    List<Prompt> sources = prompts.zeroShot(SOURCE_PROMPTS, n);
    Tally zeroShot = new Tally();
    double[] gain = new double[layers];
    double[] accuracy = new double[layers];
    double[] patchGain = new double[layers];
    List<List<Prompt>> zeroBatches = batches(zero);
    List<List<Prompt>> sourceBatches = batches(sources);
    for (int bi = 0; bi < zeroBatches.size(); bi++) {
      List<Prompt> batch = zeroBatches.get(bi);
      Readout.Scores base = Readout.run(model, manager, batch, Hooks.NONE, null);
      zeroShot.add(base);
      for (int l = 0; l < layers; l++) {
        Readout.Scores added = Readout.run(model, manager, batch, new Hooks().write(residPost(l), LastPosition.add(fv)), null);
        for (int i = 0; i < batch.size(); i++) {
          gain[l] += added.probability()[i] - base.probability()[i];
          accuracy[l] += added.correct()[i] ? 1 : 0;
        }
      }
      float[][][] sourceOut = new float[layers][batch.size()][];
      Hooks read = new Hooks();
      for (int l = 0; l < layers; l++) {
        read.read(attnOut(l));
      }
      Readout.run(model, manager, sourceBatches.get(bi), read, h -> {
        for (int l = 0; l < layers; l++) {
          float[] x = Readout.lastPosition(h, attnOut(l)); // [B, D]
          for (int i = 0; i < batch.size(); i++) {
            sourceOut[l][i] = Arrays.copyOfRange(x, i * d, (i + 1) * d);
          }
        }
      });
      for (int l = 0; l < layers; l++) {
        Readout.Scores patched = Readout.run(model, manager, batch,
            new Hooks().write(attnOut(l), LastPosition.replace(sourceOut[l])), null);
        for (int i = 0; i < batch.size(); i++) {
          patchGain[l] += patched.probability()[i] - base.probability()[i];
        }
      }
    }
    double[][] ciePerLayer = new double[layers][heads];
    for (int l = 0; l < layers; l++) {
      ciePerLayer[l] = Arrays.copyOfRange(cie, l * heads, (l + 1) * heads);
      gain[l] /= n;
      accuracy[l] /= n;
      patchGain[l] /= n;
    }
    return new TaskMeasurement(task.name(), ciePerLayer, topHeads, fv, gain, accuracy, zeroShot.probability(),
        zeroShot.accuracy(), patchGain, icl.probability(), icl.accuracy(), shuffled.probability(), shuffled.accuracy());
  }

  private List<Prompt> checked(List<Prompt> prompts, CausalLm model) {
    int t = prompts.get(0).length();
    if (t > model.maxPositions()) {
      throw new IllegalArgumentException(NAME + " settings key 'demonstrations': prompts of " + t + " tokens exceed the "
          + "model's " + model.maxPositions() + " positions; use fewer than " + settings.demonstrations());
    }
    return prompts;
  }

  private List<List<Prompt>> batches(List<Prompt> prompts) {
    List<List<Prompt>> out = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i += settings.batchSize()) {
      out.add(prompts.subList(i, Math.min(prompts.size(), i + settings.batchSize())));
    }
    return out;
  }

  /**
   * Hooks that pass every layer's head results through unchanged: the attention output is then
   * summed from per-head results in the clean and the patched runs alike (without them it is one
   * fused matmul, which rounds differently), so a patch that changes nothing changes P by exactly 0.
   */
  private static Hooks perHead(int layers) {
    Hooks hooks = new Hooks();
    for (int l = 0; l < layers; l++) {
      hooks.write(headResult(l), v -> v);
    }
    return hooks;
  }

  static String headResult(int layer) {
    return "blocks." + layer + ".attn.head_result";
  }

  static String residPost(int layer) {
    return "blocks." + layer + ".resid_post";
  }

  static String attnOut(int layer) {
    return "blocks." + layer + ".attn_out";
  }

  /** Running mean of P(answer) and top-1 accuracy. */
  private static final class Tally {
    private double probability;
    private double correct;
    private int count;

    void add(Readout.Scores s) {
      for (int i = 0; i < s.probability().length; i++) {
        probability += s.probability()[i];
        correct += s.correct()[i] ? 1 : 0;
        count++;
      }
    }

    double probability() {
      return probability / count;
    }

    double accuracy() {
      return correct / count;
    }
  }
}
