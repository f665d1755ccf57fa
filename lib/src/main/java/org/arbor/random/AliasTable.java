package org.arbor.random;

/**
 * Walker/Vose alias table: O(1) draws from a fixed discrete distribution with one 64-bit random
 * number (high half picks the column, low half flips the biased coin).
 */
public final class AliasTable {
  private final int n;
  private final long[] threshold; // coin < threshold (unsigned 32-bit) keeps the column
  private final int[] alias;
  private final double[] probability;

  public AliasTable(double[] weights) {
    n = weights.length;
    if (n == 0) {
      throw new IllegalArgumentException("alias table needs at least one outcome");
    }
    double total = 0;
    for (double w : weights) {
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("weights must be finite and non-negative");
      }
      total += w;
    }
    if (total <= 0) {
      throw new IllegalArgumentException("weights must not all be zero");
    }
    probability = new double[n];
    double[] scaled = new double[n];
    for (int i = 0; i < n; i++) {
      probability[i] = weights[i] / total;
      scaled[i] = probability[i] * n;
    }
    threshold = new long[n];
    alias = new int[n];
    int[] small = new int[n];
    int[] large = new int[n];
    int ns = 0;
    int nl = 0;
    for (int i = 0; i < n; i++) {
      if (scaled[i] < 1) {
        small[ns++] = i;
      } else {
        large[nl++] = i;
      }
    }
    while (ns > 0 && nl > 0) {
      int s = small[--ns];
      int l = large[--nl];
      threshold[s] = Math.round(scaled[s] * 4294967296.0);
      alias[s] = l;
      scaled[l] = (scaled[l] + scaled[s]) - 1;
      if (scaled[l] < 1) {
        small[ns++] = l;
      } else {
        large[nl++] = l;
      }
    }
    while (nl > 0) {
      int l = large[--nl];
      threshold[l] = 4294967296L;
      alias[l] = l;
    }
    while (ns > 0) { // only rounding leaves columns here; they are full
      int s = small[--ns];
      threshold[s] = 4294967296L;
      alias[s] = s;
    }
  }

  public int sample(Rng rng) {
    long u = rng.nextLong();
    int column = (int) (((u >>> 32) * n) >>> 32);
    return (u & 0xFFFFFFFFL) < threshold[column] ? column : alias[column];
  }

  public int size() {
    return n;
  }

  /** The exact (normalised) probability of outcome i. */
  public double probability(int i) {
    return probability[i];
  }
}
