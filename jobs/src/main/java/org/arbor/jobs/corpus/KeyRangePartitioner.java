package org.arbor.jobs.corpus;

import org.apache.spark.Partitioner;
import org.arbor.corpus.CorpusLayout;

/** Partition p holds the p-th of equal ranges of 64-bit order keys: shards in stream order. */
final class KeyRangePartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final int shards;

  KeyRangePartitioner(int shards) {
    this.shards = shards;
  }

  @Override
  public int numPartitions() {
    return shards;
  }

  @Override
  public int getPartition(Object key) {
    return CorpusLayout.shardOfKey((Long) key, shards);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyRangePartitioner k && k.shards == shards;
  }

  @Override
  public int hashCode() {
    return shards;
  }
}
