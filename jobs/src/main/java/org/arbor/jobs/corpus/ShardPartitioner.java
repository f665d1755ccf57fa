package org.arbor.jobs.corpus;

import org.apache.spark.Partitioner;

/** The key of a key batch is the job partition of the shard it belongs to. */
final class ShardPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final int shards;

  /** shards: the job's partitions, all splits' shards together. */
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
