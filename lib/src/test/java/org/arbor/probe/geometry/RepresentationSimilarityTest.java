package org.arbor.probe.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.arbor.probe.geometry.RepresentationSimilarity.Centring;
import org.arbor.probe.geometry.RepresentationSimilarity.Hierarchy;
import org.arbor.probe.geometry.RepresentationSimilarity.Level;
import org.arbor.probe.geometry.RepresentationSimilarity.Similarity;
import org.arbor.random.Rng;
import org.junit.jupiter.api.Test;

/** Within/across cosines against hand-built states with known cosines and a brute-force pair loop. */
class RepresentationSimilarityTest {
  // A regular hierarchy: 2 documents x 2 sections x 2 paragraphs x 2 sentences x 3 tokens.
  static final int DOCS = 2;
  static final int SECS = 2;
  static final int PARS = 2;
  static final int SENS = 2;
  static final int TOKS = 3;
  static final int N = DOCS * SECS * PARS * SENS * TOKS;

  /**
   * Each state is a e_doc + b e_section + c e_paragraph + e e_sentence + f e_token over orthonormal
   * basis vectors (one per unit): the cosine of two tokens is the sum of the squared weights of the
   * units they share, over a^2 + b^2 + c^2 + e^2 + f^2.
   */
  static Object[] orthogonalStates(double a, double b, double c, double e, double f) {
    int units = DOCS * (1 + SECS * (1 + PARS * (1 + SENS * (1 + TOKS))));
    float[] v = new float[N * units];
    int[][] idx = new int[4][N];
    int basis = 0;
    int row = 0;
    for (int d = 0; d < DOCS; d++) {
      int eDoc = basis++;
      for (int s = 0; s < SECS; s++) {
        int eSec = basis++;
        for (int p = 0; p < PARS; p++) {
          int ePar = basis++;
          for (int n = 0; n < SENS; n++) {
            int eSen = basis++;
            for (int t = 0; t < TOKS; t++) {
              int eTok = basis++;
              v[row * units + eDoc] = (float) a;
              v[row * units + eSec] = (float) b;
              v[row * units + ePar] = (float) c;
              v[row * units + eSen] = (float) e;
              v[row * units + eTok] = (float) f;
              idx[0][row] = d;
              idx[1][row] = s;
              idx[2][row] = p;
              idx[3][row] = n;
              row++;
            }
          }
        }
      }
    }
    return new Object[] {new Features(v, units), new Hierarchy(idx[0], idx[1], idx[2], idx[3])};
  }

  @Test
  void orthogonalUnitsGiveTheAnalyticCosines() {
    double a = 1;
    double b = 0.8;
    double c = 0.6;
    double e = 0.5;
    double f = 0.7;
    Object[] built = orthogonalStates(a, b, c, e, f);
    List<Similarity> sims = RepresentationSimilarity.measure((Features) built[0], (Hierarchy) built[1],
        List.of(Level.values()), Centring.NONE, null);
    double q = a * a + b * b + c * c + e * e + f * f;
    double sameSentence = (a * a + b * b + c * c + e * e) / q;
    double sameParagraph = (a * a + b * b + c * c) / q;
    double sameSection = (a * a + b * b) / q;
    double sameDocument = a * a / q;
    // Ordered pairs of distinct tokens sharing each unit, by the innermost unit they share.
    double pSentence = TOKS * (TOKS - 1);
    double pParagraph = (SENS - 1) * TOKS * TOKS * SENS;
    double pSection = (PARS - 1) * SENS * TOKS * PARS * SENS * TOKS;
    double pDocument = (SECS - 1) * PARS * SENS * TOKS * SECS * PARS * SENS * TOKS;
    // Per-unit pair counts (within a paragraph: its sentences' pairs plus the pairs across them, etc.).
    double inParagraph = SENS * pSentence + pParagraph;
    double inSection = PARS * inParagraph + pSection;
    double inDocument = SECS * inSection + pDocument;
    assertSimilarity(sims.get(0), Level.SENTENCE, sameSentence, sameParagraph);
    assertSimilarity(sims.get(1), Level.PARAGRAPH,
        (SENS * pSentence * sameSentence + pParagraph * sameParagraph) / inParagraph, sameSection);
    assertSimilarity(sims.get(2), Level.SECTION, (PARS * (SENS * pSentence * sameSentence + pParagraph * sameParagraph)
        + pSection * sameSection) / inSection, sameDocument);
    assertSimilarity(sims.get(3), Level.DOCUMENT, (SECS * (PARS * (SENS * pSentence * sameSentence
        + pParagraph * sameParagraph) + pSection * sameSection) + pDocument * sameDocument) / inDocument, 0);
    assertEquals(DOCS * SECS * PARS * SENS * TOKS * (TOKS - 1) / 2, sims.get(0).withinPairs());
    assertEquals(N * (N - 1) / 2 - DOCS * (long) inDocument / 2, sims.get(3).acrossPairs());
  }

  private static void assertSimilarity(Similarity s, Level level, double within, double across) {
    assertEquals(level, s.level());
    assertEquals(within, s.within(), 1e-6, level + " within");
    assertEquals(across, s.across(), 1e-6, level + " across");
  }

  @Test
  void pairSumsEqualTheBruteForcePairLoop() {
    // Irregular units (random lengths), tokens outside sentences (-1) and a level left out.
    Rng rng = new Rng(5, 1, 0);
    List<int[]> rows = new ArrayList<>(); // doc, section, paragraph, sentence
    for (int d = 0; d < 4; d++) {
      for (int s = 0; s < 1 + rng.nextInt(3); s++) {
        for (int p = 0; p < 1 + rng.nextInt(3); p++) {
          for (int n = 0; n < 1 + rng.nextInt(3); n++) {
            for (int t = 0; t < 1 + rng.nextInt(4); t++) {
              rows.add(new int[] {d, s, p, n});
            }
          }
          rows.add(new int[] {d, s, p, -1}); // a paragraph marker
        }
      }
    }
    int n = rows.size();
    int dim = 6;
    float[] v = new float[n * dim];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (rng.nextGaussian() + 0.5);
    }
    int[][] idx = new int[4][n];
    for (int r = 0; r < n; r++) {
      for (int k = 0; k < 4; k++) {
        idx[k][r] = rows.get(r)[k];
      }
    }
    Features x = new Features(v, dim);
    for (Centring centring : new Centring[] {Centring.NONE, Centring.MEAN}) {
      double[][] u = centredUnits(x, centring == Centring.MEAN);
      List<Similarity> sims = RepresentationSimilarity.measure(x, new Hierarchy(idx[0], idx[1], idx[2], idx[3]),
          List.of(Level.values()), centring, null);
      // The levels' index paths from the document down.
      int[][] path = {{0, 1, 2, 3}, {0, 1, 2}, {0, 1}, {0}};
      for (int l = 0; l < 4; l++) {
        int depth = path[l].length;
        double withinSum = 0;
        double acrossSum = 0;
        long within = 0;
        long across = 0;
        for (int i = 0; i < n; i++) {
          for (int j = i + 1; j < n; j++) {
            if (depth == 4 && (idx[3][i] < 0 || idx[3][j] < 0)) {
              continue;
            }
            boolean sameParent = true;
            for (int k = 0; k < depth - 1; k++) {
              sameParent &= idx[k][i] == idx[k][j];
            }
            boolean sameUnit = sameParent && idx[depth - 1][i] == idx[depth - 1][j];
            double cos = dot(u[i], u[j]);
            if (sameUnit) {
              withinSum += cos;
              within++;
            } else if (sameParent) {
              acrossSum += cos;
              across++;
            }
          }
        }
        Similarity s = sims.get(l);
        assertEquals(Level.values()[l], s.level());
        assertEquals(within, s.withinPairs(), centring + " " + s.level());
        assertEquals(across, s.acrossPairs(), centring + " " + s.level());
        assertEquals(withinSum / within, s.within(), 1e-12, centring + " " + s.level());
        assertEquals(acrossSum / across, s.across(), 1e-12, centring + " " + s.level());
      }
    }
  }

  private static double[][] centredUnits(Features x, boolean centre) {
    int n = x.rows();
    int d = x.dim();
    double[] mean = new double[d];
    for (int r = 0; centre && r < n; r++) {
      for (int j = 0; j < d; j++) {
        mean[j] += x.values()[r * d + j] / (double) n;
      }
    }
    double[][] u = new double[n][d];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < d; j++) {
        u[r][j] = x.values()[r * d + j] - mean[j];
      }
      double norm = Math.sqrt(dot(u[r], u[r]));
      for (int j = 0; j < d; j++) {
        u[r][j] /= norm;
      }
    }
    return u;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void centringRemovesWhatIsSharedByAllOrByACategory() {
    // Mean centring ignores a constant added to every state; category centring ignores one constant
    // per category. Without centring the constant pulls every cosine towards 1.
    Object[] built = orthogonalStates(1, 0.8, 0.6, 0.5, 0.7);
    Features x = (Features) built[0];
    Hierarchy h = (Hierarchy) built[1];
    int d = x.dim();
    int[] category = new int[N];
    float[] shifted = x.values().clone();
    float[] byCategory = x.values().clone();
    for (int r = 0; r < N; r++) {
      category[r] = r % TOKS;
      for (int j = 0; j < d; j++) {
        shifted[r * d + j] += 3f * ((j % 5) - 2);
        byCategory[r * d + j] += (float) (category[r] + 1) * (j == category[r] ? 4 : 1);
      }
    }
    List<Level> all = List.of(Level.values());
    assertSame(RepresentationSimilarity.measure(x, h, all, Centring.MEAN, null),
        RepresentationSimilarity.measure(new Features(shifted, d), h, all, Centring.MEAN, null));
    assertSame(RepresentationSimilarity.measure(x, h, all, Centring.CATEGORY, category),
        RepresentationSimilarity.measure(new Features(byCategory, d), h, all, Centring.CATEGORY, category));
    double raw = RepresentationSimilarity.measure(new Features(shifted, d), h, all, Centring.NONE, null).get(3).across();
    assertEquals(true, raw > 0.9, "uncentred cosine across documents " + raw);
  }

  private static void assertSame(List<Similarity> a, List<Similarity> b) {
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).within(), b.get(i).within(), 1e-5);
      assertEquals(a.get(i).across(), b.get(i).across(), 1e-5);
    }
  }

  @Test
  void levelsWithoutAcrossPairsAreLeftOut() {
    // One section per document: no pair shares a document but not its section.
    int[] doc = {0, 0, 1, 1};
    int[] zero = {0, 0, 0, 0};
    Features x = new Features(new float[] {1, 0, 0, 1, 1, 1, -1, 0}, 2);
    List<Similarity> sims = RepresentationSimilarity.measure(x, new Hierarchy(doc, zero, null, null),
        List.of(Level.values()), Centring.NONE, null);
    assertEquals(1, sims.size());
    assertEquals(Level.DOCUMENT, sims.get(0).level());
    // Within: cos(e1, e2) = 0 and cos((1,1), (-1,0)) = -1/sqrt 2; across: the four cross pairs.
    assertEquals((0 - Math.sqrt(0.5)) / 2, sims.get(0).within(), 1e-7);
    assertEquals((Math.sqrt(0.5) - 1 + Math.sqrt(0.5) + 0) / 4, sims.get(0).across(), 1e-7);
  }
}
