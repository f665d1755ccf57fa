package org.arbor.random;

/**
 * xoshiro256** seeded from a stream key. Every random draw in Arbor comes from an Rng keyed by
 * (seed, purpose, stable ids), never by thread, partition or attempt, so any piece of a corpus can
 * be regenerated alone and bit-identically.
 *
 * <p>The key is 128 bits: {@code (mix(seed, purpose), id)}. Distinct ids give distinct states
 * because SplitMix64's output function is a bijection, so two documents can never share a stream
 * (the released N-gram generator's seed collision is impossible by construction).
 */
public final class Rng {
  private long s0;
  private long s1;
  private long s2;
  private long s3;

  public Rng(long seed, long purpose, long id) {
    reseed(seed, purpose, id);
  }

  /** Makes this the stream (seed, purpose, id), as a new Rng would be: samplers reuse one per stream. */
  public void reseed(long seed, long purpose, long id) {
    long a = mix64(seed ^ mix64(purpose + 0x9E3779B97F4A7C15L));
    s0 = mix64(a + 0x9E3779B97F4A7C15L);
    s1 = mix64(a + 0x3C6EF372FE94F82AL);
    s2 = mix64(id + 0xDAA66D2C7DDF743FL);
    s3 = mix64(id ^ 0x78DDE6E5FD29F054L) ^ s0;
    if ((s0 | s1 | s2 | s3) == 0) {
      s3 = 1;
    }
    // Decorrelate the two key halves before the first output.
    for (int i = 0; i < 4; i++) {
      nextLong();
    }
  }

  /** Stafford's mix13 finaliser: a bijection on 64-bit values. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Combines two stable ids into one stream id (e.g. base document and repetition). */
  public static long key(long a, long b) {
    return mix64(a * 0x9E3779B97F4A7C15L + mix64(b + 0x632BE59BD9B4E019L));
  }

  public long nextLong() {
    long result = Long.rotateLeft(s1 * 5, 7) * 9;
    long t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = Long.rotateLeft(s3, 45);
    return result;
  }

  /** Uniform in [0, n) by multiply-shift on 32 random bits (bias below 2^-32 * n, negligible). */
  public int nextInt(int n) {
    return (int) (((nextLong() >>> 32) * n) >>> 32);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Standard normal by the polar Box-Muller method (one of each pair is discarded: no state). */
  public double nextGaussian() {
    double u;
    double v;
    double s;
    do {
      u = 2 * nextDouble() - 1;
      v = 2 * nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * Math.sqrt(-2 * Math.log(s) / s);
  }

  /** Fisher-Yates: a uniformly random permutation of 0..n-1. */
  public int[] permutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    shuffle(p, 0, n);
    return p;
  }

  /**
   * Steps from..to-1 of a forward Fisher-Yates shuffle of all of a: step i swaps a[i] with a[j],
   * j uniform in [i, a.length), after which a[i] is final, so a prefix of a shuffle can be drawn
   * first and the rest later. Each 64-bit draw serves two steps (32 bits each, multiply-shift); from
   * must be even, so a shuffle done in pieces draws the same numbers as one done at once.
   */
  public void shuffleSteps(int[] a, int from, int to) {
    if ((from & 1) != 0) {
      throw new IllegalArgumentException("shuffle steps must start at an even step, got " + from);
    }
    int n = a.length;
    int stop = Math.min(to, n - 1);
    for (int i = from; i < stop; i += 2) {
      long r = nextLong();
      int j = i + (int) (((r >>> 32) * (n - i)) >>> 32);
      int v = a[i];
      a[i] = a[j];
      a[j] = v;
      if (i + 1 < stop) {
        j = i + 1 + (int) (((r & 0xFFFFFFFFL) * (n - i - 1)) >>> 32);
        v = a[i + 1];
        a[i + 1] = a[j];
        a[j] = v;
      }
    }
  }

  /** Shuffles a[from, to) uniformly in place. */
  public void shuffle(int[] a, int from, int to) {
    for (int i = to - 1; i > from; i--) {
      int j = from + nextInt(i - from + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
