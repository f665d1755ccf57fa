package org.arbor.probe.induction;

import org.arbor.random.Rng;

/**
 * The induction probe's inputs: {@code samples} sequences [r; r], each n random token ids r
 * repeated once (2n tokens, no BOS, as in the paper's code). Sample b draws from
 * {@code Rng(seed, PURPOSE, b)}, so a sample does not depend on how many others are drawn.
 *
 * @param ids the sequences, [samples][2n]
 * @param n the length of r
 */
record RepeatedTokens(int[][] ids, int n) {
  static final long PURPOSE = 0x52455045415445L; // "REPEATE"

  /**
   * Draws the sequences from ids [lo, hi): uniformly with replacement (Olsson et al., TransformerLens
   * and the paper's code all use randint), or without replacement, which keeps each token's earlier
   * occurrence unique so that a planted head's score is exactly its attention to that position.
   */
  static RepeatedTokens draw(long seed, int samples, int n, int lo, int hi, boolean withReplacement) {
    int range = hi - lo;
    if (range < 1 || (!withReplacement && range < n)) {
      throw new IllegalArgumentException("token range [" + lo + ", " + hi + ") holds " + Math.max(range, 0)
          + " ids, too few for " + n + " random tokens" + (withReplacement ? "" : " without replacement"));
    }
    int[][] ids = new int[samples][2 * n];
    for (int b = 0; b < samples; b++) {
      Rng rng = new Rng(seed, PURPOSE, b);
      int[] r = new int[n];
      if (withReplacement) {
        for (int i = 0; i < n; i++) {
          r[i] = lo + rng.nextInt(range);
        }
      } else {
        // A partial Fisher-Yates over the range: the first n of a random permutation.
        int[] pool = new int[range];
        for (int i = 0; i < range; i++) {
          pool[i] = lo + i;
        }
        for (int i = 0; i < n; i++) {
          int j = i + rng.nextInt(range - i);
          int t = pool[i];
          pool[i] = pool[j];
          pool[j] = t;
          r[i] = pool[i];
        }
      }
      System.arraycopy(r, 0, ids[b], 0, n);
      System.arraycopy(r, 0, ids[b], n, n);
    }
    return new RepeatedTokens(ids, n);
  }

  /** The distinct ids of all sequences, in increasing order. */
  int[] distinct() {
    return java.util.Arrays.stream(ids).flatMapToInt(java.util.Arrays::stream).distinct().sorted().toArray();
  }
}
