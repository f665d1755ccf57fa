package org.arbor.report;

import static org.arbor.report.ResultsFixture.HEADS;
import static org.arbor.report.ResultsFixture.LAYERS;
import static org.arbor.report.ResultsFixture.NGRAM;
import static org.arbor.report.ResultsFixture.PCFG;
import static org.arbor.report.ResultsFixture.STEPS;
import static org.arbor.report.ResultsFixture.TOKENS_PER_STEP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arbor.results.ResultRow;
import org.arbor.results.ResultsTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapSeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class FiguresTest {
  static List<ResultRow> rows;
  static final double[] TOKENS = new double[STEPS.length];

  @BeforeAll
  static void readTable(@TempDir Path dir) throws Exception {
    // Through the Parquet table, as the report job reads it: two files, N-gram's first.
    List<ResultRow> all = ResultsFixture.rows();
    ResultsTable.write(dir.resolve("a.parquet"), all.stream().filter(r -> r.run().equals(NGRAM)).toList());
    ResultsTable.write(dir.resolve("b.parquet"), all.stream().filter(r -> r.run().equals(PCFG)).toList());
    rows = ResultsTable.read(dir);
    assertEquals(all.size(), rows.size());
    for (int s = 0; s < STEPS.length; s++) {
      TOKENS[s] = STEPS[s] * TOKENS_PER_STEP;
    }
  }

  static XYSeries series(Figure f, String panel, String name) {
    XYSeries s = ((XYChart) f.panel(panel).chart()).getSeriesMap().get(name);
    if (s == null) {
      throw new AssertionError(panel + " has no series '" + name + "'; it has "
          + ((XYChart) f.panel(panel).chart()).getSeriesMap().keySet());
    }
    return s;
  }

  /** Heat cells as (column, row) -> value, with the axes' labels. */
  static Map<List<Integer>, Double> cells(Figure f, String panel) {
    HeatMapSeries s = ((HeatMapChart) f.panel(panel).chart()).getHeatMapSeries();
    Map<List<Integer>, Double> out = new HashMap<>();
    for (Number[] c : s.getHeatData()) {
      assertEquals(null, out.put(List.of(c[0].intValue(), c[1].intValue()), c[2].doubleValue()), "one cell each");
    }
    return out;
  }

  @Test
  void lossCurvesPlaceEachRunsLossesAndFloorBesideTheOtherKind() {
    Figure f = Figures.lossCurves(rows).orElseThrow();
    assertEquals(List.of("loss-pcfg", "loss-ngram"), f.panels().stream().map(Panel::id).toList());
    XYSeries train = series(f, "loss-pcfg", PCFG + ": train loss");
    assertArrayEquals(TOKENS, train.getXData());
    assertArrayEquals(new double[] {6.0, 5.0, 4.0, 3.0}, train.getYData(), 1e-12);
    assertArrayEquals(new double[] {5.7, 4.7, 3.7, 2.7}, series(f, "loss-ngram", NGRAM + ": held-out loss").getYData(),
        1e-12);
    assertArrayEquals(new double[] {3.5, 3.5, 3.5, 3.5}, series(f, "loss-ngram", NGRAM + ": entropy floor").getYData(),
        1e-12);
    // Checkpoints at 1, 4, 16, 64 steps are log-spaced: the x axis is logarithmic.
    assertTrue(((XYChart) f.panel("loss-pcfg").chart()).getStyler().isXAxisLogarithmic());
    assertTrue(f.caption().contains("entropy"));
  }

  @Test
  void olmoRevisionsAreDrawnBesideTheSyntheticRuns() {
    List<org.arbor.results.ResultRow> withOlmo = new java.util.ArrayList<>(rows);
    for (org.arbor.results.ResultRow r : rows) {
      if (r.run().equals(PCFG) && r.probe().equals("induction") && !r.isError()) {
        withOlmo.add(new org.arbor.results.ResultRow("olmo-1b", "olmo", "/olmo/step" + r.step(), r.step(), r.tokensSeen() * 1000,
            r.probe(), r.layer(), r.head(), r.key(), r.value() / 2, null));
      }
    }
    Figure f = Figures.inductionScores(withOlmo).orElseThrow();
    assertEquals(List.of("pcfg", "ngram", "olmo"), f.panels().stream().map(Panel::modelKind).toList());
    Figure icl = Figures.iclScore(withOlmo).orElseThrow();
    assertEquals("olmo", icl.panels().get(icl.panels().size() - 1).modelKind());
  }

  @Test
  void inductionTakesTheBestHeadAndThePapersDuplicateTokenScore() {
    Figure f = Figures.inductionScores(rows).orElseThrow();
    double[] max = new double[STEPS.length];
    double[] meanK = new double[STEPS.length];
    for (int s = 0; s < STEPS.length; s++) {
      max[s] = Double.NEGATIVE_INFINITY;
      for (int l = 0; l < LAYERS; l++) {
        for (int h = 0; h < HEADS; h++) {
          max[s] = Math.max(max[s], ResultsFixture.prefixMatching(NGRAM, s, l, h));
        }
      }
      meanK[s] = (ResultsFixture.paperDuplicate(NGRAM, s, 1) + ResultsFixture.paperDuplicate(NGRAM, s, 2)
          + ResultsFixture.paperDuplicate(NGRAM, s, 3)) / 3;
    }
    // By hand: the best head reaches 0.3 (head index residue 3) plus layer 1's 0.01 plus N-gram's 0.2.
    assertArrayEquals(new double[] {0.51, 0.51, 0.51, 0.51}, max, 1e-12);
    assertArrayEquals(max, series(f, "induction-ngram", NGRAM + ": prefix matching, max over heads").getYData(), 1e-12);
    assertArrayEquals(new double[] {0.55, 0.57, 0.59, 0.61},
        series(f, "induction-ngram", NGRAM + ": duplicate token (paper, k=1)").getYData(), 1e-12);
    assertArrayEquals(meanK, series(f, "induction-ngram", NGRAM + ": duplicate token (paper, mean over k)").getYData(),
        1e-12);
    assertEquals(0.5, meanK[0], 1e-12);
  }

  @Test
  void functionVectorGainIsOneHeatmapPerTaskOfLayerByCheckpoint() {
    List<Figure> fs = Figures.functionVectorGain(rows);
    assertEquals(List.of("fv_gain-antonym", "fv_gain-successor"), fs.stream().map(Figure::id).toList());
    Figure f = fs.get(1);
    String panel = "fv_gain-successor-pcfg-" + PCFG;
    HeatMapSeries s = ((HeatMapChart) f.panel(panel).chart()).getHeatMapSeries();
    assertEquals(List.of("8.19k", "32.8k", "131k", "524k"), s.getXData());
    assertEquals(List.of("0", "1"), s.getYData());
    Map<List<Integer>, Double> cells = cells(f, panel);
    assertEquals(STEPS.length * LAYERS, cells.size());
    for (int x = 0; x < STEPS.length; x++) {
      for (int y = 0; y < LAYERS; y++) {
        assertEquals(ResultsFixture.fvGain(PCFG, "successor", x, y), cells.get(List.of(x, y)), 1e-12);
      }
    }
    assertEquals(-0.2 + 0.15 - 0.1, cells.get(List.of(3, 1)), 1e-12);
    Figure patch = Figures.paperPatchGain(rows).get(0);
    assertEquals(ResultsFixture.fvGain(NGRAM, "antonym", 2, 0) / 2,
        cells(patch, "paper_patch_gain-antonym-ngram-" + NGRAM).get(List.of(2, 0)), 1e-12);
  }

  @Test
  void hydraHeatmapsUseWholeLayersAndThePapersKEqualsOne() {
    Figure f = Figures.hydraCompensation(rows).orElseThrow();
    Map<List<Integer>, Double> cells = cells(f, "hydra_compensation-ngram-" + NGRAM);
    // Per-head rows (value >= 100) are left out: one cell per layer and checkpoint.
    assertEquals(STEPS.length * LAYERS, cells.size());
    assertEquals(0.25 - 0.03 * 2 + 0.5, cells.get(List.of(2, 1)), 1e-12);
    Figure paper = Figures.paperCompensation(rows).orElseThrow();
    Map<List<Integer>, Double> pc = cells(paper, "paper_compensation-pcfg-" + PCFG);
    assertEquals(STEPS.length * LAYERS, pc.size(), "k=2 rows are not drawn");
    assertEquals(ResultsFixture.compensation(PCFG, 3, 0) + 1, pc.get(List.of(3, 0)), 1e-12);
  }

  @Test
  void geometryHasAnEmbedRowBelowTheLayers() {
    List<Figure> fs = Figures.geometryAccuracy(rows);
    assertEquals(List.of("geometry-category", "geometry-sentence"), fs.stream().map(Figure::id).toList());
    String panel = "geometry-category-pcfg-" + PCFG;
    HeatMapSeries s = ((HeatMapChart) fs.get(0).panel(panel).chart()).getHeatMapSeries();
    assertEquals(List.of("embed", "0", "1"), s.getYData());
    Map<List<Integer>, Double> cells = cells(fs.get(0), panel);
    assertEquals(STEPS.length * (LAYERS + 1), cells.size(), "probe_r2 rows are not drawn");
    assertEquals(0.6 + 0.02, cells.get(List.of(1, 0)), 1e-12);
    assertEquals(ResultsFixture.probeAccuracy(PCFG, "category", 1, 1), cells.get(List.of(1, 2)), 1e-12);
  }

  @Test
  void structureAndIclAreLinesOverTraining() {
    Figure st = Figures.structureScores(rows).orElseThrow();
    assertEquals(List.of("structure-pcfg"), st.panels().stream().map(Panel::id).toList(), "N-gram has no rows");
    assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75}, series(st, "structure-pcfg", PCFG + ": grammatical fraction")
        .getYData(), 1e-12);
    Figure icl = Figures.iclScore(rows).orElseThrow();
    assertArrayEquals(new double[] {-0.05, -0.15, -0.25, -0.35}, series(icl, "icl_score-ngram", NGRAM + ": icl score")
        .getYData(), 1e-12);
  }

  @Test
  void missingProbesOmitTheirFiguresAndErrorRowsAreListed() {
    List<String> all = Figures.all(rows).stream().map(Figure::id).toList();
    assertEquals(List.of("loss", "induction", "icl_score", "fv_gain-antonym", "fv_gain-successor",
        "paper_patch_gain-antonym", "hydra_compensation", "paper_compensation", "structure", "geometry-category",
        "geometry-sentence"), all);
    List<ResultRow> noHydra = new ArrayList<>(rows);
    noHydra.removeIf(r -> r.probe().equals("hydra") || r.probe().equals("loss"));
    List<String> ids = Figures.all(noHydra).stream().map(Figure::id).toList();
    assertFalse(ids.contains("hydra_compensation") || ids.contains("paper_compensation") || ids.contains("loss"));
    assertEquals(all.size() - 3, ids.size());
    assertTrue(Figures.all(List.of()).isEmpty());
    List<ResultRow> errors = Figures.errors(rows);
    assertEquals(1, errors.size());
    assertEquals(ResultsFixture.ERROR, errors.get(0).error());
    assertEquals(16, errors.get(0).step());
  }

  @Test
  void aRowTwiceIsAnErrorNamingIt() {
    List<ResultRow> twice = new ArrayList<>(rows);
    twice.add(rows.get(0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Figures.all(twice));
    assertTrue(e.getMessage().contains("'" + rows.get(0).key() + "'") && e.getMessage().contains("twice"),
        e.getMessage());
  }

  @Test
  void tokenAxisSpacingAndLabels() {
    assertTrue(TokenAxis.isLogSpaced(new long[] {10, 100, 1000, 10000}));
    assertFalse(TokenAxis.isLogSpaced(new long[] {100, 200, 300, 400}));
    assertFalse(TokenAxis.isLogSpaced(new long[] {100, 1000}));
    assertEquals("950", TokenAxis.label(950));
    assertEquals("65.5k", TokenAxis.label(65536));
    assertEquals("2M", TokenAxis.label(2_000_000));
    assertEquals("1.05B", TokenAxis.label(1_048_576_000));
    assertEquals("1M", TokenAxis.label(999_999));
  }

  @Test
  void resultKeysSplitIntoMeasureAndQualifiers() {
    ResultKey k = ResultKey.parse("probe_accuracy:target=category,point=embed");
    assertEquals("probe_accuracy", k.measure());
    assertEquals("category", k.get("target"));
    assertEquals("embed", k.get("point"));
    assertEquals(Map.of(), ResultKey.parse("icl_score").qualifiers());
    assertThrows(IllegalArgumentException.class, () -> ResultKey.parse("fv_gain:antonym"));
  }
}
