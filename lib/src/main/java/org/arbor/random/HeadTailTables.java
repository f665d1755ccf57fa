package org.arbor.random;

/**
 * Many discrete distributions over the same outcomes 0..n-1, packed for fast exact sampling when
 * most of each distribution's mass sits on its first outcomes (Zipf laws ranked by id).
 *
 * <p>Each distribution (a "table") has a head: an alias table of W = 2^b columns packed one int per
 * column (64 bytes for W = 16, so the heads of a thousand tables stay in cache). Its outcomes are
 * 0..W-2 plus a marker standing for the whole tail W-1..n-1 (when n <= W there is no tail and the
 * head holds all outcomes). The tail is a second alias table, one packed int per column
 * (threshold and alias together: one memory access). A draw takes 32 caller-supplied random bits:
 * the top b bits pick the head column and the other 32 - b are the coin. Only when the marker comes
 * up does the draw take one more 64-bit number from the {@link Rng} and read the tail, so random
 * access to cold memory happens only with the tail's probability.
 *
 * <p>Exactness: the head's masses (the tail's total included) are rounded to multiples of 2^-32
 * summing to 1, the tail's conditional masses to multiples of 1/U with U = m 2^(32 - ceil(log2 m))
 * in (2^31, 2^32] for a tail of m outcomes, and the alias tables are built in integer arithmetic,
 * so a draw has exactly the rounded probabilities: each within 2^-32 of the exact one for head
 * outcomes and 3 * 2^-32 for tail outcomes.
 * {@link #realisedProbability} computes them from the packed tables.
 */
public final class HeadTailTables {
  private final int count;
  private final int n;
  private final int bits;
  private final int coinBits;
  private final int coinMask;
  private final int colMask;
  /** Outcomes drawn from the head directly: 0..headOutcomes-1. */
  private final int headOutcomes;
  /** The head outcome that stands for the tail (never drawn when there is no tail). */
  private final int marker;
  private final int tailSize;
  /** Bits of a tail column's alias (relative to the tail) and of its coin: 32 in all. */
  private final int tailBits;
  private final int tailCoinMask;
  /** head[(t << bits) | col] = (threshold << bits) | alias; alias == col means a full column. */
  private final int[] head;
  /** tail[t * tailSize + c] = (threshold << tailBits) | alias; alias == c means a full column. */
  private final int[] tail;

  /**
   * Room for {@code count} distributions over 0..n-1 whose heads have 2^headBits alias columns;
   * fill each with {@link #set} before sampling from it.
   */
  public HeadTailTables(int count, int n, int headBits) {
    if (count < 1 || n < 1) {
      throw new IllegalArgumentException("need at least one table and one outcome");
    }
    if (headBits < 1 || headBits > 12) {
      throw new IllegalArgumentException("head bits must be in 1..12, got " + headBits);
    }
    this.count = count;
    this.n = n;
    this.bits = headBits;
    this.coinBits = 32 - headBits;
    this.coinMask = (1 << coinBits) - 1;
    int w = 1 << headBits;
    this.colMask = w - 1;
    this.headOutcomes = n <= w ? n : w - 1;
    this.tailSize = n - headOutcomes;
    this.marker = tailSize > 0 ? w - 1 : Integer.MAX_VALUE;
    this.head = new int[Math.multiplyExact(count, w)];
    this.tailBits = tailSize <= 1 ? 1 : 32 - Integer.numberOfLeadingZeros(tailSize - 1);
    this.tailCoinMask = (int) ((1L << (32 - tailBits)) - 1);
    this.tail = new int[Math.multiplyExact(count, tailSize)];
  }

  /** One table for one distribution with enough head columns to hold it (up to 4096 outcomes). */
  public static HeadTailTables single(double[] weights) {
    int b = 1;
    while ((1 << b) < weights.length && b < 12) {
      b++;
    }
    HeadTailTables t = new HeadTailTables(1, weights.length, b);
    t.set(0, weights);
    return t;
  }

  public int count() {
    return count;
  }

  public int size() {
    return n;
  }

  /** How many outcomes (0..k-1) a draw can reach without touching the tail. */
  public int headOutcomes() {
    return headOutcomes;
  }

  /** Sets table t to the distribution proportional to weights (finite, non-negative, not all 0). */
  public void set(int t, double[] weights) {
    if (weights.length != n) {
      throw new IllegalArgumentException("expected " + n + " weights, got " + weights.length);
    }
    if (t < 0 || t >= count) {
      throw new IndexOutOfBoundsException("table " + t + " of " + count);
    }
    for (double w : weights) {
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("weights must be finite and non-negative");
      }
    }
    int w = colMask + 1;
    double[] hw = new double[w];
    System.arraycopy(weights, 0, hw, 0, headOutcomes);
    double[] tw = new double[tailSize];
    System.arraycopy(weights, headOutcomes, tw, 0, tailSize);
    double[] tailCum = cumulative(tw);
    double tailTotal = tailSize > 0 ? tailCum[tailSize - 1] : 0;
    if (tailSize > 0) {
      hw[marker] = tailTotal;
    }
    double[] headCum = cumulative(hw);
    if (!(headCum[w - 1] > 0) || Double.isInfinite(headCum[w - 1])) {
      throw new IllegalArgumentException("weights must not all be zero and must have a finite sum");
    }
    long[] thr = new long[w];
    int[] alias = new int[w];
    vose(quantise(headCum, 1L << 32), 1L << coinBits, thr, alias);
    for (int c = 0; c < w; c++) {
      head[(t << bits) | c] = alias[c] == c ? c : (int) ((thr[c] << bits) | alias[c]);
    }
    if (tailSize == 0) {
      return;
    }
    int base = t * tailSize;
    if (!(tailTotal > 0)) {
      // The marker has no mass, so the tail is never drawn; fill it with a valid outcome anyway.
      for (int c = 0; c < tailSize; c++) {
        tail[base + c] = c;
      }
      return;
    }
    long[] tt = new long[tailSize];
    int[] ta = new int[tailSize];
    long cap = 1L << (32 - tailBits);
    vose(quantise(tailCum, tailSize * cap), cap, tt, ta);
    for (int c = 0; c < tailSize; c++) {
      tail[base + c] = ta[c] == c ? c : (int) ((tt[c] << tailBits) | ta[c]);
    }
  }

  /**
   * Compensated (Kahan) running sums of non-negative weights, kept non-decreasing and unchanged
   * across zero weights (so an outcome of weight 0 gets mass 0 after {@link #quantise}).
   */
  private static double[] cumulative(double[] w) {
    double[] cum = new double[w.length];
    double s = 0;
    double comp = 0;
    for (int i = 0; i < w.length; i++) {
      if (w[i] > 0) {
        double y = w[i] - comp;
        double z = s + y;
        comp = (z - s) - y;
        s = Math.max(z, s);
      }
      cum[i] = s;
    }
    return cum;
  }

  /**
   * Integer masses summing to exactly {@code units}: mass i is the difference of the rounded
   * cumulative shares, so it is within one unit of the exact share and 0 where the weight is 0.
   */
  private static long[] quantise(double[] cum, long units) {
    int m = cum.length;
    double total = cum[m - 1];
    long[] q = new long[m];
    long prev = 0;
    for (int i = 0; i < m; i++) {
      long c = i == m - 1 ? units : Math.min(Math.max(Math.round(cum[i] / total * units), prev), units);
      q[i] = c - prev;
      prev = c;
    }
    return q;
  }

  /**
   * Vose's alias method in exact integer arithmetic over masses q summing to q.length * cap:
   * column c keeps c when the coin (in [0, cap)) is below thr[c], else gives alias[c]; full
   * columns get alias[c] = c and thr[c] = cap. Every outcome's realised mass is exactly q.
   */
  private static void vose(long[] q, long cap, long[] thr, int[] alias) {
    int m = q.length;
    long[] a = q.clone();
    int[] small = new int[m];
    int[] large = new int[m];
    int ns = 0;
    int nl = 0;
    for (int c = 0; c < m; c++) {
      if (a[c] < cap) {
        small[ns++] = c;
      } else {
        large[nl++] = c;
      }
    }
    while (ns > 0 && nl > 0) {
      int sm = small[--ns];
      int lg = large[--nl];
      thr[sm] = a[sm];
      alias[sm] = lg;
      a[lg] -= cap - a[sm];
      if (a[lg] < cap) {
        small[ns++] = lg;
      } else {
        large[nl++] = lg;
      }
    }
    if (ns > 0) {
      throw new IllegalStateException("alias masses do not sum to the columns' capacity");
    }
    while (nl > 0) { // the masses left are exactly cap each
      int lg = large[--nl];
      thr[lg] = cap;
      alias[lg] = lg;
    }
  }

  /**
   * Draws an outcome of table t. {@code u} holds 32 uniform random bits that decide the head; the
   * rng is used only when the draw falls in the tail (one {@link Rng#nextLong}).
   */
  public int sample(int t, int u, Rng rng) {
    int col = u >>> coinBits;
    int e = head[(t << bits) | col];
    int o = (u & coinMask) < (e >>> bits) ? col : e & colMask;
    return o != marker ? o : sampleTail(t, rng);
  }

  private int sampleTail(int t, Rng rng) {
    long v = rng.nextLong();
    int c = (int) (((v >>> 32) * tailSize) >>> 32);
    int e = tail[t * tailSize + c];
    int a = ((int) v & tailCoinMask) < (e >>> tailBits) ? c : e & ((1 << tailBits) - 1);
    return headOutcomes + a;
  }

  /** The probability with which {@link #sample} draws outcome i from table t (exact arithmetic). */
  public double realisedProbability(int t, int i) {
    if (i < 0 || i >= n) {
      return 0;
    }
    int w = colMask + 1;
    double one = 1L << coinBits;
    double pMarker = 0;
    double pHead = 0;
    for (int c = 0; c < w; c++) {
      int e = head[(t << bits) | c];
      int a = e & colMask;
      double keep = a == c ? 1 : (e >>> bits) / one;
      double pc = keep / w;
      double pa = (1 - keep) / w;
      pHead += (c == i && i < headOutcomes ? pc : 0) + (a == i && i < headOutcomes ? pa : 0);
      pMarker += (c == marker ? pc : 0) + (a == marker ? pa : 0);
    }
    if (i < headOutcomes) {
      return pHead;
    }
    double p = 0;
    double tailOne = 1L << (32 - tailBits);
    for (int c = 0; c < tailSize; c++) {
      int e = tail[t * tailSize + c];
      int a = e & ((1 << tailBits) - 1);
      double keep = a == c ? 1 : (e >>> tailBits) / tailOne;
      if (headOutcomes + c == i) {
        p += keep;
      }
      if (headOutcomes + a == i) {
        p += 1 - keep;
      }
    }
    return pMarker * p / tailSize;
  }
}
