package org.arbor.jobs.corpus;

import org.apache.spark.Partitioner;

/** Partition p is shard p: the key of a key batch is the shard it belongs to. */
final class ShardPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final int shards;

  ShardPartitioner(int shards) {
    this.shards = shards;
  }

  @Override
  public int numPartitions() {
    return shards;
  }

  @Override
  public int getPartition(Object key) {
    return (Integer) key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardPartitioner k && k.shards == shards;
  }

  @Override
  public int hashCode() {
    return shards;
  }
}
