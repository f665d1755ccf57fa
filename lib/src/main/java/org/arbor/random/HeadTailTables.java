package org.arbor.random;

/**
 * Many discrete distributions over the same outcomes 0..n-1, packed for fast exact sampling when
 * most of each distribution's mass sits on its first outcomes (Zipf laws ranked by id).
 *
 * <p>Each distribution (a "table") has a head: an alias table of W = 2^b columns packed one int per
 * column (64 bytes for W = 16, so the heads of a thousand tables stay in cache). Its outcomes are
 * 0..W-2 plus a marker standing for the whole tail W-1..n-1 (when n <= W there is no tail and the
 * head holds all outcomes). The tail is a second alias table, one packed long per column
 * (threshold and alias together: one memory access). A draw takes 32 caller-supplied random bits:
 * the top b bits pick the head column and the other 32 - b are the coin. Only when the marker comes
 * up does the draw take one more 64-bit number from the {@link Rng} and read the tail, so random
 * access to cold memory happens only with the tail's probability.
 *
 * <p>Exactness: a head column has mass 2^-b and its coin threshold is a multiple of 2^-(32-b) of
 * it, so every head probability (the tail's total included) is a multiple of 2^-32; rounding a
 * column's threshold moves at most half a unit of 2^-32 between its two outcomes, so an outcome is
 * off by at most (W/2 + 1) 2^-32, plus half a unit per tail column times the tail's mass for tail
 * outcomes (32-bit coins there). {@link #realisedProbability} gives the probability a draw really
 * has.
 */
public final class HeadTailTables {
  private static final double TWO_32 = 4294967296.0;
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
  /** head[(t << bits) | col] = (threshold << bits) | alias; alias == col means a full column. */
  private final int[] head;
  /** tail[t * tailSize + c] = (threshold << 31) | alias; threshold in [0, 2^32], alias absolute. */
  private final long[] tail;

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
    this.tail = new long[Math.multiplyExact(count, tailSize)];
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
    double headTotal = sum(weights, 0, headOutcomes);
    double tailTotal = sum(weights, headOutcomes, n);
    double total = headTotal + tailTotal;
    if (!(total > 0) || Double.isInfinite(total)) {
      throw new IllegalArgumentException("weights must not all be zero and must have a finite sum");
    }
    int w = colMask + 1;
    double[] hw = new double[w];
    System.arraycopy(weights, 0, hw, 0, headOutcomes);
    if (tailSize > 0) {
      hw[marker] = tailTotal;
    }
    long[] thr = new long[w];
    int[] alias = new int[w];
    vose(hw, total, 1L << coinBits, thr, alias);
    for (int c = 0; c < w; c++) {
      boolean full = thr[c] >= (1L << coinBits) || alias[c] == c;
      head[(t << bits) | c] = full ? (c & colMask) : (int) ((thr[c] << bits) | alias[c]);
    }
    if (tailSize == 0) {
      return;
    }
    int base = t * tailSize;
    if (!(tailTotal > 0)) {
      // The marker has no mass, so the tail is never drawn; fill it with a valid outcome anyway.
      for (int c = 0; c < tailSize; c++) {
        tail[base + c] = headOutcomes + c;
      }
      return;
    }
    double[] tw = new double[tailSize];
    System.arraycopy(weights, headOutcomes, tw, 0, tailSize);
    long[] tt = new long[tailSize];
    int[] ta = new int[tailSize];
    vose(tw, tailTotal, 1L << 32, tt, ta);
    for (int c = 0; c < tailSize; c++) {
      tail[base + c] = (tt[c] << 31) | (headOutcomes + ta[c]);
    }
  }

  /**
   * Vose's alias method over w (sum total): column c keeps c when the coin is below thr[c] (in
   * units where one column is {@code one}), else gives alias[c]. Full columns get thr = one.
   */
  private static void vose(double[] w, double total, long one, long[] thr, int[] alias) {
    int m = w.length;
    double[] scaled = new double[m];
    int[] small = new int[m];
    int[] large = new int[m];
    int ns = 0;
    int nl = 0;
    for (int c = 0; c < m; c++) {
      scaled[c] = w[c] / total * m;
      if (scaled[c] < 1) {
        small[ns++] = c;
      } else {
        large[nl++] = c;
      }
    }
    while (ns > 0 && nl > 0) {
      int s = small[--ns];
      int l = large[--nl];
      thr[s] = Math.min(Math.round(scaled[s] * one), one);
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
      thr[l] = one;
      alias[l] = l;
    }
    while (ns > 0) { // only rounding leaves columns here; they are full
      int s = small[--ns];
      thr[s] = one;
      alias[s] = s;
    }
  }

  /** Neumaier-compensated sum of w[from, to). */
  private static double sum(double[] w, int from, int to) {
    double s = 0;
    double comp = 0;
    for (int i = from; i < to; i++) {
      double z = s + w[i];
      comp += Math.abs(s) >= Math.abs(w[i]) ? (s - z) + w[i] : (w[i] - z) + s;
      s = z;
    }
    return s + comp;
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
    long e = tail[t * tailSize + c];
    return (v & 0xFFFFFFFFL) < (e >>> 31) ? headOutcomes + c : (int) (e & 0x7FFFFFFFL);
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
    for (int c = 0; c < tailSize; c++) {
      long e = tail[t * tailSize + c];
      double keep = (e >>> 31) / TWO_32;
      if (headOutcomes + c == i) {
        p += keep;
      }
      if ((int) (e & 0x7FFFFFFFL) == i) {
        p += 1 - keep;
      }
    }
    return pMarker * p / tailSize;
  }
}
