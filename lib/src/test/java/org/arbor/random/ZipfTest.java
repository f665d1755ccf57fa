package org.arbor.random;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ZipfTest {
  @Test
  void harmonicNumberOf300() {
    // H_300 = 6.28266388029950... (paper: 6.2827, so P(rank 1) = 0.159).
    double h = 0;
    for (int r = 1; r <= 300; r++) {
      h += 1.0 / r;
    }
    assertEquals(h, Zipf.harmonic(300, 1.0), 1e-12);
    assertEquals(6.2827, Zipf.harmonic(300, 1.0), 5e-5);
    assertEquals(0.159, Math.exp(Zipf.logProbabilities(300, 1.0)[0]), 5e-4);
    assertEquals(1.0 + 1 / 4.0 + 1 / 9.0, Zipf.harmonic(3, 2.0), 1e-15);
  }

  @Test
  void probabilitiesNormaliseAndFollowThePowerLaw() {
    double[] lp = Zipf.logProbabilities(50, 1.3);
    double sum = 0;
    for (int r = 1; r <= 50; r++) {
      sum += Math.exp(lp[r - 1]);
      assertEquals(-1.3 * Math.log(r / 3.0), lp[r - 1] - lp[2], 1e-12, "P(r) / P(3) = (r / 3)^-s");
    }
    assertEquals(1, sum, 1e-12);
    double[] w = Zipf.weights(4, 2.0);
    assertEquals(1.0, w[0]);
    assertEquals(1.0 / 16, w[3]);
  }

  @Test
  void entropy() {
    assertEquals(Math.log(17), Zipf.entropy(17, 0.0), 1e-12, "exponent 0 is uniform");
    // Two ranks with s = 1: P = (2/3, 1/3).
    assertEquals(-(2 / 3.0) * Math.log(2 / 3.0) - (1 / 3.0) * Math.log(1 / 3.0), Zipf.entropy(2, 1.0), 1e-12);
  }
}
