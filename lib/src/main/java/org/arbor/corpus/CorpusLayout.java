package org.arbor.corpus;

import org.arbor.random.Rng;

/**
 * Where each document goes: its stable id, its split, and its sort key in the corpus stream. The
 * corpus stream of a split is its documents in ascending order_key; shards hold consecutive key
 * ranges, so the stream is the same however many shards or partitions produce it.
 */
public final class CorpusLayout {
  static final long ORDER_PURPOSE = 0x4F52444552L; // "ORDER"

  private CorpusLayout() {}

  public static long documentId(long baseDocument, int repetition, int repetitions) {
    return baseDocument * repetitions + repetition;
  }

  /** The document's position key: a keyed hash for shuffled placement, its id when adjacent. */
  public static long orderKey(CorpusSpec.Placement placement, long seed, long documentId) {
    if (placement == CorpusSpec.Placement.ADJACENT) {
      return documentId;
    }
    return Rng.mix64(Rng.mix64(seed ^ ORDER_PURPOSE) + Rng.mix64(documentId));
  }

  /** Shard of a shuffled key: the signed key range split into equal buckets, in order. */
  public static int shardOfKey(long orderKey, int shards) {
    long unsigned = orderKey ^ Long.MIN_VALUE; // maps signed order onto unsigned order
    return (int) Math.multiplyHigh(unsigned >>> 1, (long) shards << 1);
  }
}
