package org.arbor.probe.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.arbor.config.ConfigException;
import org.arbor.config.ConfigNode;
import org.arbor.corpus.CorpusSpec;
import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentSource;
import org.arbor.model.CausalLm;
import org.arbor.model.LlamaModel;
import org.arbor.model.ModelConfig;
import org.arbor.probe.ProbeContext;
import org.arbor.probe.ProbeCorpus;
import org.arbor.probe.ProbeResult;
import org.arbor.probe.geometry.RepresentationSimilarity.Centring;
import org.arbor.probe.geometry.RepresentationSimilarity.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole probe on hand-built models over the released grammar and N-gram processes. */
class GeometryProbeTest {
  static final long SEED = 41;
  static final GeometryProbe.Settings SMALL = new GeometryProbe.Settings(20, 64, 0.3, 1e-3,
      List.of(LatentTarget.values()), 32, List.of(Level.values()), Centring.MEAN, 8, 60, 1e-4);
  static NDManager manager;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  static Path root() {
    String env = System.getenv("ARBOR_ROOT");
    if (env != null && Files.isDirectory(Path.of(env, "conf"))) {
      return Path.of(env);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("conf").resolve("grammars"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root (conf/); set ARBOR_ROOT");
  }

  static ProbeCorpus corpus(String file, long testDocuments) {
    DocumentSource process = CorpusSpec.process(ConfigNode.load(root().resolve("conf").resolve(file)));
    return new ProbeCorpus(null, process, 2026, testDocuments);
  }

  /**
   * A 1-block model whose embedding of a token is the one-hot vector of its category (dimensions
   * 0..categories-1) and whose blocks have tiny random weights: the category is a linear function
   * of the embeddings, and nearly so after the block.
   */
  static CausalLm categoryModel(ProbeCorpus corpus, int categories) {
    int vocab = corpus.process().vocabulary().size();
    ModelConfig config = new ModelConfig(vocab, 8, 1, 2, 8, 64, 10000, 1e-6, 1e-3);
    float[] embedding = new float[vocab * 8];
    ProbeCorpus.HeldOut heldOut = corpus.heldOut();
    for (long i = 0; i < corpus.testBaseDocuments(); i++) {
      Document d = heldOut.document(i);
      for (int t = 0; t < d.length(); t++) {
        embedding[d.tokens()[t] * 8 + d.category()[t]] = 1;
      }
    }
    assertTrue(categories <= 8);
    try (LlamaModel random = LlamaModel.initialise(config, manager, 3)) {
      Map<String, NDArray> tensors = new HashMap<>(random.parameters());
      tensors.put("model.embed_tokens.weight", manager.create(embedding, new Shape(vocab, 8)));
      return LlamaModel.of(config, manager, tensors, "test");
    }
  }

  static Map<String, Double> byKey(List<ProbeResult> results) {
    Map<String, Double> m = new HashMap<>();
    for (ProbeResult r : results) {
      assertEquals("geometry", r.probe());
      assertEquals(-1, r.head());
      m.put(r.layer() + " " + r.key(), r.value());
    }
    assertEquals(results.size(), m.size(), "a key written twice");
    return m;
  }

  @Test
  void aCategoryWrittenInTheEmbeddingIsReadOutExactly() {
    ProbeCorpus corpus = corpus("grammars/ukp-released.yaml", 40);
    try (CausalLm model = categoryModel(corpus, corpus.process().categories().size())) {
      List<ProbeResult> results = new GeometryProbe(SMALL).run(new ProbeContext(model, corpus, null, SEED, manager));
      Map<String, Double> v = byKey(results);
      assertEquals(1.0, v.get("-1 probe_accuracy:target=category,point=embed"));
      assertEquals(1.0, v.get("0 probe_accuracy:target=category"));
      // The embedding carries the category only, and S, V and O ranks all follow Zipf(300) under a
      // per-document permutation: nothing linear in it predicts ln rank beyond the training mean.
      assertTrue(v.get("-1 probe_r2:target=rank,point=embed") < 0.05);

      // The baseline is the majority training category's share of the test tokens.
      long[] ids = GeometryProbe.heldOutDocuments(SEED, 40, 20);
      boolean[] test = GeometryProbe.testDocuments(SEED, ids.length, 0.3);
      int[] trainCounts = new int[5];
      int[] testCounts = new int[5];
      ProbeCorpus.HeldOut heldOut = corpus.heldOut();
      for (int i = 0; i < ids.length; i++) {
        Document d = heldOut.document(ids[i]);
        for (int t = 0; t < Math.min(64, d.length()); t++) {
          (test[i] ? testCounts : trainCounts)[d.category()[t]]++;
        }
      }
      int majority = 0;
      for (int c = 1; c < 5; c++) {
        majority = trainCounts[c] > trainCounts[majority] ? c : majority;
      }
      assertEquals((double) testCounts[majority] / java.util.Arrays.stream(testCounts).sum(),
          v.get("-1 probe_accuracy:target=category,point=baseline"), 1e-12);

      // Every target the grammar annotates, at every point, and every level with pairs of both kinds.
      Set<String> expected = new TreeSet<>();
      for (LatentTarget t : LatentTarget.values()) {
        String key = (t.numeric() ? "probe_r2" : "probe_accuracy") + ":target=" + t.key();
        expected.addAll(List.of("-1 " + key + ",point=baseline", "-1 " + key + ",point=embed", "0 " + key));
      }
      for (Level l : Level.values()) {
        for (String kind : List.of("cosine_within", "cosine_across")) {
          expected.addAll(List.of("-1 " + kind + ":level=" + l.key() + ",point=embed", "0 " + kind + ":level=" + l.key()));
        }
      }
      assertEquals(expected, new TreeSet<>(v.keySet()));
      for (Map.Entry<String, Double> e : v.entrySet()) {
        double x = e.getValue();
        assertTrue(e.getKey().contains("probe_r2") ? x <= 1 : x >= -1 - 1e-9 && x <= 1 + 1e-9, e.toString());
      }

      // Determinism: the same model, settings and seed give the same rows.
      assertEquals(results, new GeometryProbe(SMALL).run(new ProbeContext(model, corpus, null, SEED, manager)));
    }
  }

  @Test
  void anNgramCorpusHasOnlyItsAnnotatedTargetsAndLevels() {
    ProbeCorpus corpus = corpus("ngram/ukp-released.yaml", 12);
    GeometryProbe.Settings s = new GeometryProbe.Settings(12, 48, 0.25, 1e-3, List.of(LatentTarget.values()), 32,
        List.of(Level.values()), Centring.CATEGORY, 4, 50, 1e-4);
    try (CausalLm model = categoryModel(corpus, corpus.process().categories().size())) {
      Map<String, Double> v = byKey(new GeometryProbe(s).run(new ProbeContext(model, corpus, null, SEED, manager)));
      Set<String> names = v.keySet().stream().map(k -> k.split(" ")[1].split(",")[0]).collect(Collectors.toSet());
      assertEquals(Set.of("probe_accuracy:target=category", "probe_accuracy:target=position",
          "probe_accuracy:target=sentence", "cosine_within:level=sentence", "cosine_across:level=sentence",
          "cosine_within:level=document", "cosine_across:level=document"), names);
      assertEquals(1.0, v.get("-1 probe_accuracy:target=category,point=embed"));
    }
  }

  @Test
  void documentsAreDistinctHeldOutOnesAndTheSplitIsByDocument() {
    long[] ids = GeometryProbe.heldOutDocuments(SEED, 100, 30);
    assertEquals(30, java.util.Arrays.stream(ids).distinct().count());
    assertTrue(java.util.Arrays.stream(ids).allMatch(i -> i >= 0 && i < 100));
    assertArrayEquals(ids, GeometryProbe.heldOutDocuments(SEED, 100, 30));
    assertNotEquals(java.util.Arrays.toString(ids), java.util.Arrays.toString(GeometryProbe.heldOutDocuments(SEED + 1, 100, 30)));
    assertArrayEquals(new long[] {0, 1, 2, 3, 4}, GeometryProbe.heldOutDocuments(SEED, 5, 30));
    boolean[] test = GeometryProbe.testDocuments(SEED, 30, 0.2);
    int count = 0;
    for (boolean b : test) {
      count += b ? 1 : 0;
    }
    assertEquals(6, count);
    assertEquals(1, countTrue(GeometryProbe.testDocuments(SEED, 2, 0.01)));
    assertEquals(1, countTrue(GeometryProbe.testDocuments(SEED, 2, 0.99)));
  }

  private static int countTrue(boolean[] a) {
    int c = 0;
    for (boolean b : a) {
      c += b ? 1 : 0;
    }
    return c;
  }

  @Test
  void settingsComeFromYamlAndBadOnesNameTheirKey() {
    GeometryProbe p = new GeometryProbe(ConfigNode.parse("sweep.yaml", new StringReader(
        "documents: 20\ntargets: [rank, category]\nlevels: [document]\ncentring: category\nl2: 0.01\n")));
    assertEquals(List.of(LatentTarget.RANK, LatentTarget.CATEGORY), p.settings().targets());
    assertEquals(List.of(Level.DOCUMENT), p.settings().levels());
    assertEquals(Centring.CATEGORY, p.settings().centring());
    assertEquals(20, p.settings().documents());
    assertEquals(256, p.settings().maxTokens());
    for (String[] bad : new String[][] {{"targets: [rank, bogus]", "targets"}, {"documnets: 3", "documnets"},
        {"test_fraction: 1", "test_fraction"}, {"centring: median", "centring"}, {"l2: 0", "l2"}}) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> new GeometryProbe(ConfigNode.parse("sweep.yaml", new StringReader(bad[0]))));
      assertTrue(e.getMessage().startsWith("sweep.yaml: key '" + bad[1] + "'"), e.getMessage());
    }
  }

  @Test
  void aModelWithoutACorpusIsRefused() {
    ProbeCorpus corpus = corpus("grammars/ukp-released.yaml", 4);
    try (CausalLm model = categoryModel(corpus, 5)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new GeometryProbe(SMALL).run(new ProbeContext(model, null, null, SEED, manager)));
      assertTrue(e.getMessage().contains("corpus"));
    }
  }
}
