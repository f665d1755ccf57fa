package org.arbor.probe.structure;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.arbor.config.ConfigNode;
import org.arbor.corpus.Document;
import org.arbor.grammar.GrammarSpec;
import org.arbor.grammar.LexicalClass;
import org.arbor.grammar.PcfgProcess;
import org.arbor.model.CausalLm;
import org.arbor.model.Hooks;
import org.arbor.probe.Probe;
import org.arbor.probe.ProbeContext;
import org.arbor.probe.ProbeCorpus;
import org.arbor.probe.ProbeResult;
import org.arbor.random.Rng;

/**
 * Whether the model has learned the grammar's sentence structure (arXiv 2603.06592's probe of
 * next-token category mass, which reaches above 0.7 during training; and a generation check).
 *
 * <p><b>Category mass</b> ({@code verb_after_s}, {@code object_after_sv}, {@code subject_after_svoc};
 * layer -1, head -1): for {@code prompts} prompts, each draws s, v, o, c uniformly from the tokens
 * that belong to the subject, verb, object and connector classes alone (shared intersection tokens
 * would make the prompt ambiguous), from {@code Rng(seed, PROMPTS, prompt)}; the value is the mean
 * over prompts of the model's next-token probability summed over all members (shared ones included)
 * of the verb class after [s], of the object class after [s v], of the subject class after
 * [s v o c]. Prompts have no BOS, as the models are trained without one.
 *
 * <p><b>grammatical_fraction</b>: the share of {@code continuations} sampled continuations that form
 * a sentence of the grammar. Continuation i follows a prompt of real held-out text: held-out base
 * document i (repetition 0, re-sampled from the corpus's process and seed: the test split's own
 * documents) up to and including the end token of its {@code prompt_sentences}-th sentence (its last
 * sentence if it has fewer), the prompt cut from the left to leave room for {@code max_new_tokens}.
 * Tokens are drawn at temperature 1 from {@code Rng(seed, CONTINUATIONS, i)} (or greedily with
 * {@code sampling: greedy}) until the first sentence-end token or max_new_tokens. The continuation
 * is grammatical when it holds a sentence-end token and the tokens before it, after any leading
 * paragraph/section/document boundary tokens (which may follow a sentence end), are a sentence the
 * grammar's start nonterminal derives ({@link SentenceRecognizer}; shared tokens may fill a slot of
 * any of their classes).
 *
 * <p><b>Grammar</b>: setting {@code grammar} (a grammar YAML with the model's vocabulary; relative
 * to the settings file's directory when that file exists, else to the working directory), else the
 * corpus's PCFG. With neither (an N-gram corpus without the setting, or OLMo) the probe returns no
 * rows: categories are undefined. grammatical_fraction also needs a corpus for its prompts; without
 * one only the masses are written.
 *
 * <p>Settings: grammar, prompts (200), continuations (64), prompt_sentences (2), max_new_tokens
 * (32), sampling (sample | greedy), batch_size (64), subject (S), verb (V), object (O), connector (C).
 */
public final class StructureProbe implements Probe {
  public static final String NAME = "structure";
  static final long PROMPTS_PURPOSE = 0x5354525543540001L;
  static final long CONTINUATIONS_PURPOSE = 0x5354525543540002L;

  /** The settings; {@code grammar} may be null (use the corpus's). */
  public record Settings(GrammarSpec grammar, int prompts, int continuations, int promptSentences, int maxNewTokens,
      boolean greedy, int batchSize, String subject, String verb, String object, String connector) {
    public Settings {
      if (prompts < 1 || continuations < 1 || promptSentences < 1 || maxNewTokens < 1 || batchSize < 1) {
        throw new IllegalArgumentException("structure: prompts, continuations, prompt_sentences, max_new_tokens and"
            + " batch_size must be at least 1");
      }
    }

    public static Settings defaults() {
      return new Settings(null, 200, 64, 2, 32, false, 64, "S", "V", "O", "C");
    }
  }

  private final Settings settings;

  public StructureProbe(Settings settings) {
    this.settings = settings;
  }

  /** From YAML settings (keys above); unknown keys are errors. */
  public StructureProbe(ConfigNode n) {
    Settings d = Settings.defaults();
    GrammarSpec grammar = null;
    if (n.has("grammar")) {
      Path p = Path.of(n.string("grammar"));
      Path settingsFile = Path.of(n.file());
      if (!p.isAbsolute() && Files.isRegularFile(settingsFile) && settingsFile.toAbsolutePath().getParent() != null) {
        p = settingsFile.toAbsolutePath().getParent().resolve(p).normalize();
      }
      if (!Files.isRegularFile(p)) {
        throw n.error("grammar", "grammar file " + p + " not found");
      }
      grammar = GrammarSpec.load(p);
    }
    String sampling = n.string("sampling", "sample");
    if (!sampling.equals("sample") && !sampling.equals("greedy")) {
      throw n.error("sampling", "expected sample or greedy, got '" + sampling + "'");
    }
    this.settings = new Settings(grammar, n.positive("prompts", d.prompts()), n.positive("continuations",
        d.continuations()), n.positive("prompt_sentences", d.promptSentences()), n.positive("max_new_tokens",
        d.maxNewTokens()), sampling.equals("greedy"), n.positive("batch_size", d.batchSize()),
        n.string("subject", d.subject()), n.string("verb", d.verb()), n.string("object", d.object()),
        n.string("connector", d.connector()));
    n.finish();
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The grammar the probe uses in this context, or null (no rows). */
  GrammarSpec grammar(ProbeContext ctx) {
    if (settings.grammar() != null) {
      return settings.grammar();
    }
    if (ctx.corpus() != null && ctx.corpus().process() instanceof PcfgProcess p) {
      return p.grammar();
    }
    return null;
  }

  @Override
  public List<ProbeResult> run(ProbeContext ctx) {
    GrammarSpec g = grammar(ctx);
    if (g == null) {
      return List.of();
    }
    CausalLm model = ctx.model();
    if (g.vocabulary.size() != model.vocabSize()) {
      throw new IllegalArgumentException(g.file + ": the grammar's vocabulary has " + g.vocabulary.size()
          + " tokens, the model's " + model.vocabSize() + " (structure needs the model's vocabulary)");
    }
    LexicalClass s = lexicalClass(g, settings.subject(), "subject");
    LexicalClass v = lexicalClass(g, settings.verb(), "verb");
    LexicalClass o = lexicalClass(g, settings.object(), "object");
    LexicalClass c = lexicalClass(g, settings.connector(), "connector");
    int[][] own = {exclusive(g, s), exclusive(g, v), exclusive(g, o), exclusive(g, c)};
    int p = settings.prompts();
    int[][] prompts = new int[p][4];
    for (int i = 0; i < p; i++) {
      Rng rng = new Rng(ctx.seed(), PROMPTS_PURPOSE, i);
      for (int k = 0; k < 4; k++) {
        prompts[i][k] = own[k][rng.nextInt(own[k].length)];
      }
    }
    List<ProbeResult> out = new ArrayList<>();
    out.add(ProbeResult.of(NAME, "verb_after_s", mass(ctx, prompts, 1, v)));
    out.add(ProbeResult.of(NAME, "object_after_sv", mass(ctx, prompts, 2, o)));
    out.add(ProbeResult.of(NAME, "subject_after_svoc", mass(ctx, prompts, 4, s)));
    if (ctx.corpus() != null) {
      out.add(ProbeResult.of(NAME, "grammatical_fraction", grammaticalFraction(ctx, g)));
    }
    return out;
  }

  private static LexicalClass lexicalClass(GrammarSpec g, String name, String setting) {
    int i = g.classIndex(name);
    if (i < 0) {
      throw new IllegalArgumentException(g.file + ": no lexical class '" + name + "' (structure setting '" + setting
          + "'; the grammar has " + g.classes.stream().map(LexicalClass::name).toList() + ")");
    }
    return g.classes.get(i);
  }

  /** The class's tokens that no other class holds. */
  private static int[] exclusive(GrammarSpec g, LexicalClass c) {
    int[] count = new int[g.vocabulary.size()];
    for (LexicalClass x : g.classes) {
      for (int t : x.members()) {
        count[t]++;
      }
    }
    int[] own = Arrays.stream(c.members()).filter(t -> count[t] == 1).toArray();
    if (own.length == 0) {
      throw new IllegalArgumentException(g.file + ": lexical class '" + c.name() + "' has no token of its own to"
          + " build unambiguous prompts from");
    }
    return own;
  }

  /** Mean over prompts of the next-token probability mass on the target class after prompt[0, length). */
  private double mass(ProbeContext ctx, int[][] prompts, int length, LexicalClass target) {
    double sum = 0;
    int vocab = ctx.model().vocabSize();
    for (int start = 0; start < prompts.length; start += settings.batchSize()) {
      int b = Math.min(settings.batchSize(), prompts.length - start);
      int[] flat = new int[b * length];
      for (int i = 0; i < b; i++) {
        System.arraycopy(prompts[start + i], 0, flat, i * length, length);
      }
      try (NDManager m = ctx.manager().newSubManager()) {
        NDArray logits = ctx.model().forward(m.create(flat, new Shape(b, length)), Hooks.NONE);
        float[] probs = logits.get(new NDIndex(":, -1, :")).softmax(-1).toFloatArray(); // [b, V]
        for (int i = 0; i < b; i++) {
          for (int t : target.members()) {
            sum += probs[i * vocab + t];
          }
        }
      }
    }
    return sum / prompts.length;
  }

  private double grammaticalFraction(ProbeContext ctx, GrammarSpec g) {
    CausalLm model = ctx.model();
    int eos = g.boundaryToken(0);
    boolean[] higherBoundary = new boolean[model.vocabSize()];
    for (int level = 1; level < GrammarSpec.BOUNDARY_LEVELS.size(); level++) {
      if (g.boundaryToken(level) >= 0) {
        higherBoundary[g.boundaryToken(level)] = true;
      }
    }
    int maxNew = settings.maxNewTokens();
    if (maxNew >= model.maxPositions()) {
      throw new IllegalArgumentException("structure: max_new_tokens " + maxNew + " leaves no room for a prompt in the"
          + " model's " + model.maxPositions() + " positions");
    }
    ProbeCorpus.HeldOut heldOut = ctx.corpus().heldOut();
    SentenceRecognizer recognizer = new SentenceRecognizer(g);
    int n = settings.continuations();
    int grammatical = 0;
    for (int start = 0; start < n; start += settings.batchSize()) {
      int b = Math.min(settings.batchSize(), n - start);
      int[][] rows = new int[b][];
      int[] promptLength = new int[b];
      Rng[] rng = new Rng[b];
      for (int i = 0; i < b; i++) {
        rows[i] = prompt(heldOut, start + i, eos, model.maxPositions() - maxNew, g);
        promptLength[i] = rows[i].length;
        rows[i] = Arrays.copyOf(rows[i], rows[i].length + maxNew);
        rng[i] = new Rng(ctx.seed(), CONTINUATIONS_PURPOSE, start + i);
      }
      int[] length = promptLength.clone();
      boolean[] done = new boolean[b];
      for (int step = 0; step < maxNew; step++) {
        // Only unfinished rows run; each ends at its own length, and the zeros after it are never
        // attended to (causal), so only its last position's logits are read.
        int[] active = java.util.stream.IntStream.range(0, b).filter(i -> !done[i]).toArray();
        if (active.length == 0) {
          break;
        }
        int width = 0;
        for (int i : active) {
          width = Math.max(width, length[i]);
        }
        int[] flat = new int[active.length * width];
        long[] last = new long[active.length];
        for (int a = 0; a < active.length; a++) {
          int i = active[a];
          System.arraycopy(rows[i], 0, flat, a * width, length[i]);
          last[a] = (long) a * width + length[i] - 1;
        }
        int vocab = model.vocabSize();
        float[] logits;
        try (NDManager m = ctx.manager().newSubManager()) {
          NDArray all = model.forward(m.create(flat, new Shape(active.length, width)), Hooks.NONE);
          logits = all.reshape(-1, vocab).get(new NDIndex("{}", m.create(last))).toFloatArray(); // [active, V]
        }
        for (int a = 0; a < active.length; a++) {
          int i = active[a];
          int token = next(logits, a * vocab, vocab, rng[i]);
          rows[i][length[i]++] = token;
          done[i] = token == eos;
        }
      }
      for (int i = 0; i < b; i++) {
        if (done[i]) {
          int from = promptLength[i];
          while (from < length[i] - 1 && higherBoundary[rows[i][from]]) {
            from++;
          }
          if (recognizer.derives(rows[i], from, length[i] - 1)) {
            grammatical++;
          }
        }
      }
    }
    return grammatical / (double) n;
  }

  /** Held-out document i up to the end of its prompt_sentences-th sentence, at most `room` tokens. */
  private int[] prompt(ProbeCorpus.HeldOut heldOut, int i, int eos, int room, GrammarSpec g) {
    Document d = heldOut.document(i);
    int end = -1;
    int sentences = 0;
    for (int k = 0; k < d.length() && sentences < settings.promptSentences(); k++) {
      if (d.tokens()[k] == eos) {
        end = k + 1;
        sentences++;
      }
    }
    if (end < 0) {
      throw new IllegalArgumentException(g.file + ": held-out document " + i + " holds no sentence-end token "
          + g.boundaries[0] + " (id " + eos + "): the grammar does not match the corpus's vocabulary");
    }
    int from = Math.max(0, end - room);
    return Arrays.copyOfRange(d.tokens(), from, end);
  }

  /** Draws the next token from logits[offset, offset + vocab): temperature 1, or argmax when greedy. */
  private int next(float[] logits, int offset, int vocab, Rng rng) {
    int best = 0;
    for (int t = 1; t < vocab; t++) {
      if (logits[offset + t] > logits[offset + best]) {
        best = t;
      }
    }
    if (settings.greedy()) {
      return best;
    }
    double max = logits[offset + best];
    double total = 0;
    double[] w = new double[vocab];
    for (int t = 0; t < vocab; t++) {
      w[t] = Math.exp(logits[offset + t] - max);
      total += w[t];
    }
    double u = rng.nextDouble() * total;
    for (int t = 0; t < vocab; t++) {
      u -= w[t];
      if (u < 0) {
        return t;
      }
    }
    return best; // u within rounding of total
  }
}
