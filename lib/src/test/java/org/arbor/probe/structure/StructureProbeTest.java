package org.arbor.probe.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.arbor.config.ConfigException;
import org.arbor.config.ConfigNode;
import org.arbor.grammar.GrammarSpec;
import org.arbor.grammar.PcfgProcess;
import org.arbor.model.LlamaModel;
import org.arbor.model.ModelConfig;
import org.arbor.ngram.NgramProcess;
import org.arbor.probe.ProbeContext;
import org.arbor.probe.ProbeCorpus;
import org.arbor.probe.ProbeResult;
import org.arbor.probe.induction.PlantedModels;
import org.arbor.testing.Oracle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The structure probe on bigram models (logits a function of the last token alone) over the tiny
 * grammar of {@link SentenceRecognizerTest}: ids S 0-1, V 2-3, O 4-5, C 6, shared S/O 7, [EOS] 8,
 * [EOP] 9, [UNK] 10, [PAD] 11.
 */
class StructureProbeTest {
  static final int V = 12;
  static final int EOS = 8;
  static final int EOP = 9;
  static NDManager manager;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /**
   * A model whose logits after token a are logits[a] (up to the final RMSNorm's eps): one-hot
   * embeddings of RMS 1, attention and MLP outputs zero, lm_head row b = logits[.][b] / sqrt(D).
   */
  static LlamaModel bigram(double[][] logits) {
    ModelConfig c = new ModelConfig(V, V, 1, 2, 2, 64, 10000, 1e-6, 0.02);
    PlantedModels m = new PlantedModels(c);
    for (int a = 0; a < V; a++) {
      m.set("model.embed_tokens.weight", a, a, Math.sqrt(V));
      for (int b = 0; b < V; b++) {
        m.set("lm_head.weight", b, a, logits[a][b] / Math.sqrt(V));
      }
    }
    return m.build(manager);
  }

  /** A model that after each token `from[i]` emits `to[i]` with probability 1 - 11 e^-40. */
  static LlamaModel chain(int[] from, int[] to) {
    double[][] l = new double[V][V];
    for (int i = 0; i < from.length; i++) {
      l[from[i]][to[i]] = 40;
    }
    return bigram(l);
  }

  static ProbeCorpus corpus(GrammarSpec g) {
    return new ProbeCorpus(null, new PcfgProcess(g), 99, 5);
  }

  static StructureProbe.Settings settings(boolean greedy) {
    return new StructureProbe.Settings(null, 16, 10, 2, 8, greedy, 16, "S", "V", "O", "C");
  }

  static double value(List<ProbeResult> rows, String key) {
    return rows.stream().filter(r -> r.key().equals(key)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + key)).value();
  }

  @Test
  void categoryMassOfABigramModel() {
    double[][] l = new double[V][V];
    for (int s : new int[] {0, 1}) {
      l[s][2] = l[s][3] = 1.5; // after a subject: the verbs
    }
    for (int v : new int[] {2, 3}) {
      l[v][4] = l[v][5] = l[v][7] = 0.5; // after a verb: the objects, shared token 7 included
    }
    l[6][0] = l[6][1] = l[6][7] = -1; // after the connector: the subjects, held down
    double k = 1 / Math.sqrt(1 + 1e-6);
    GrammarSpec g = SentenceRecognizerTest.tiny();
    try (LlamaModel model = bigram(l)) {
      List<ProbeResult> rows = new StructureProbe(settings(false)).run(new ProbeContext(model, corpus(g), null, 3,
          manager));
      assertEquals(2 * Math.exp(1.5 * k) / (2 * Math.exp(1.5 * k) + 10), value(rows, "verb_after_s"), 1e-6);
      assertEquals(3 * Math.exp(0.5 * k) / (3 * Math.exp(0.5 * k) + 9), value(rows, "object_after_sv"), 1e-6);
      assertEquals(3 * Math.exp(-k) / (3 * Math.exp(-k) + 9), value(rows, "subject_after_svoc"), 1e-6);
      assertEquals(4, rows.size());
    }
  }

  @Test
  void grammaticalFractionOfFixedSentences() {
    GrammarSpec g = SentenceRecognizerTest.tiny();
    // Every prompt ends with [EOS]; the models then say one fixed continuation.
    double[] expected = {1, 1, 0, 0};
    LlamaModel[] models = {
        chain(new int[] {EOS, 0, 2, 4}, new int[] {0, 2, 4, EOS}), // S V O [EOS]
        chain(new int[] {EOS, EOP, 3, 1, 5}, new int[] {EOP, 3, 1, 5, EOS}), // [EOP] V S O [EOS]
        chain(new int[] {EOS, 0, 2, 4, 5}, new int[] {0, 2, 4, 5, EOS}), // S V O O [EOS]
        chain(new int[] {EOS, 0, 2, 4}, new int[] {0, 2, 4, 0}), // S V O S V O S V: no end in 8 tokens
    };
    for (int i = 0; i < models.length; i++) {
      try (LlamaModel model = models[i]) {
        for (boolean greedy : i < 2 ? new boolean[] {false, true} : new boolean[] {false}) {
          List<ProbeResult> rows = new StructureProbe(settings(greedy)).run(new ProbeContext(model, corpus(g), null,
              5, manager));
          assertEquals(expected[i], value(rows, "grammatical_fraction"), 0, "model " + i + " greedy " + greedy);
        }
      }
    }
    try (LlamaModel model = chain(new int[] {EOS, 7, 2, 4}, new int[] {7, 2, 4, EOS})) {
      // 7 V O [EOS]: the shared token fills the subject slot.
      List<ProbeResult> rows = new StructureProbe(settings(false)).run(new ProbeContext(model, corpus(g), null, 5,
          manager));
      assertEquals(1, value(rows, "grammatical_fraction"), 0);
    }
  }

  @Test
  void sameSeedSameRowsNoLeaks() {
    GrammarSpec g = SentenceRecognizerTest.tiny();
    try (LlamaModel model = LlamaModel.initialise(new ModelConfig(V, 8, 1, 2, 8, 64, 10000, 1e-6, 1.0), manager, 4)) {
      StructureProbe p = new StructureProbe(settings(false));
      int modelArrays = model.manager().getManagedArrays().size();
      int runArrays = manager.getManagedArrays().size();
      List<ProbeResult> a = p.run(new ProbeContext(model, corpus(g), null, 8, manager));
      assertEquals(modelArrays, model.manager().getManagedArrays().size()); // nothing leaked
      assertEquals(runArrays, manager.getManagedArrays().size());
      List<ProbeResult> b = p.run(new ProbeContext(model, corpus(g), null, 8, manager));
      assertEquals(a, b);
      double f = value(a, "grammatical_fraction");
      assertTrue(f >= 0 && f <= 1);
    }
  }

  @Test
  void noGrammarNoRowsAndGrammarSetting(@TempDir Path dir) throws Exception {
    GrammarSpec g = SentenceRecognizerTest.tiny();
    try (LlamaModel model = bigram(new double[V][V])) {
      StructureProbe p = new StructureProbe(settings(false));
      assertEquals(List.of(), p.run(new ProbeContext(model, null, List.of(new int[] {1, 2}), 1, manager)));
      NgramProcess ngram = NgramProcess.load(Oracle.root().resolve("conf/ngram/ukp-released.yaml"));
      assertEquals(List.of(), p.run(new ProbeContext(model, new ProbeCorpus(null, ngram, 1, 5), null, 1, manager)));
      // A grammar by setting, relative to the settings file; without a corpus only the masses.
      Files.writeString(dir.resolve("tiny.yaml"), SentenceRecognizerTest.TINY);
      Path sweep = dir.resolve("sweep.yaml");
      Files.writeString(sweep, "grammar: tiny.yaml\nprompts: 4\n");
      StructureProbe byFile = new StructureProbe(ConfigNode.load(sweep));
      List<ProbeResult> rows = byFile.run(new ProbeContext(model, null, null, 1, manager));
      assertEquals(List.of("verb_after_s", "object_after_sv", "subject_after_svoc"),
          rows.stream().map(ProbeResult::key).toList());
      assertEquals(2 / 12.0, value(rows, "verb_after_s"), 1e-6); // uniform logits
    }
    try (LlamaModel wrong = LlamaModel.initialise(new ModelConfig(V + 2, 8, 1, 2, 8, 64, 10000, 1e-6, 0.02), manager, 1)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new StructureProbe(settings(false)).run(new ProbeContext(wrong, corpus(g), null, 1, manager)));
      assertTrue(e.getMessage().contains("tiny.yaml") && e.getMessage().contains("14"), e.getMessage());
    }
  }

  @Test
  void paperConfigGrammarWithSharedTokensAndParagraphBoundaries() {
    GrammarSpec g = GrammarSpec.load(Oracle.root().resolve("conf/grammars/paper-config.yaml"));
    int vocab = g.vocabulary.size();
    // All weights 0: every logit is 0, the next token uniform over the vocabulary.
    try (LlamaModel model = new PlantedModels(new ModelConfig(vocab, 8, 1, 2, 4, 64, 10000, 1e-6, 0.02)).build(manager)) {
      List<ProbeResult> rows = new StructureProbe(new StructureProbe.Settings(null, 8, 3, 3, 8, false, 8, "S", "V", "O",
          "C")).run(new ProbeContext(model, new ProbeCorpus(null, new PcfgProcess(g), 2, 3), null, 1, manager));
      // Each content class holds 300 ids of its own and the 70 shared ones.
      assertEquals(370.0 / vocab, value(rows, "verb_after_s"), 1e-6);
      assertEquals(370.0 / vocab, value(rows, "object_after_sv"), 1e-6);
      assertEquals(370.0 / vocab, value(rows, "subject_after_svoc"), 1e-6);
      double f = value(rows, "grammatical_fraction");
      assertTrue(f >= 0 && f <= 1);
    }
  }

  @Test
  void settingsErrors() {
    ConfigException typo = assertThrows(ConfigException.class, () -> new StructureProbe(yaml("promts: 3\n")));
    assertTrue(typo.getMessage().contains("promts"), typo.getMessage());
    ConfigException missing = assertThrows(ConfigException.class, () -> new StructureProbe(yaml("grammar: nowhere.yaml\n")));
    assertTrue(missing.getMessage().contains("grammar") && missing.getMessage().contains("nowhere.yaml"),
        missing.getMessage());
    ConfigException sampling = assertThrows(ConfigException.class, () -> new StructureProbe(yaml("sampling: beam\n")));
    assertTrue(sampling.getMessage().contains("sampling"), sampling.getMessage());
    IllegalArgumentException cls = assertThrows(IllegalArgumentException.class, () -> {
      try (LlamaModel model = bigram(new double[V][V])) {
        new StructureProbe(new StructureProbe.Settings(null, 4, 4, 1, 4, false, 4, "S", "VERB", "O", "C"))
            .run(new ProbeContext(model, corpus(SentenceRecognizerTest.tiny()), null, 1, manager));
      }
    });
    assertTrue(cls.getMessage().contains("VERB") && cls.getMessage().contains("verb"), cls.getMessage());
  }

  static ConfigNode yaml(String text) {
    return ConfigNode.parse("sweep.yaml", new StringReader(text));
  }
}
