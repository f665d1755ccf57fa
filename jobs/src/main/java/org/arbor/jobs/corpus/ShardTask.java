package org.arbor.jobs.corpus;

import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.util.SerializableConfiguration;
import org.arbor.corpus.CorpusLayout;
import org.arbor.corpus.CorpusSpec;
import org.arbor.corpus.DocumentSampler;

/**
 * The reduce side: one task per shard receives the key batches of its key range, puts the
 * documents in stream order, samples each one (a pure function of its ids, so the same wherever
 * and however often it runs) and writes shard part-NNNNN.parquet. It holds its shard's keys and
 * ids (16 bytes per document, twice while sorting) and one row group; a retried task rewrites the
 * same file with the same bytes. Returns its split's index and the shard's documents, tokens and
 * fixed-point ln-probability sum.
 */
final class ShardTask implements Function2<Integer, Iterator<long[]>, Iterator<long[]>> {
  private static final long serialVersionUID = 1L;
  private final CorpusSpec spec;
  private final String[] splits;
  private final String[] dirs;
  private final int[] firstPartition;
  private final SerializableConfiguration conf;
  private final long fixedPoint;
  private final int failPartition;
  private final int failAttempts;

  /**
   * Split s's shards are the job's partitions firstPartition[s] .. firstPartition[s + 1] - 1,
   * written to dirs[s]. Test hook: the first failAttempts attempts of shard failPartition (-1:
   * none) of each split fail midway.
   */
  ShardTask(CorpusSpec spec, String[] splits, String[] dirs, int[] firstPartition, SerializableConfiguration conf,
      long fixedPoint, int failPartition, int failAttempts) {
    this.spec = spec;
    this.splits = splits;
    this.dirs = dirs;
    this.firstPartition = firstPartition;
    this.conf = conf;
    this.fixedPoint = fixedPoint;
    this.failPartition = failPartition;
    this.failAttempts = failAttempts;
  }

  @Override
  public Iterator<long[]> call(Integer partition, Iterator<long[]> batches) throws Exception {
    int s = 0;
    while (partition >= firstPartition[s + 1]) {
      s++;
    }
    String split = splits[s];
    int shard = partition - firstPartition[s];
    List<long[]> all = new java.util.ArrayList<>();
    long total = 0;
    while (batches.hasNext()) {
      long[] b = batches.next();
      all.add(b);
      total += DocumentKeys.size(b);
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("shard " + shard + " of split " + split + " would hold " + total
          + " documents; raise shards." + split);
    }
    long[] keys = new long[(int) total];
    long[] ids = new long[(int) total];
    int at = 0;
    for (long[] b : all) {
      int n = DocumentKeys.size(b);
      System.arraycopy(b, 0, keys, at, n);
      System.arraycopy(b, n, ids, at, n);
      at += n;
    }
    all.clear();
    StreamOrder.sort(keys, ids);

    TaskContext task = TaskContext.get();
    boolean fail = task != null && shard == failPartition && task.attemptNumber() < failAttempts;
    DocumentSampler sampler = spec.process.newSampler();
    int reps = spec.process.repetitions();
    ShardWriter w = new ShardWriter(conf.value(), new Path(dirs[s], String.format("part-%05d.parquet", shard)), split,
        fixedPoint, sampler.columns());
    try {
      for (int j = 0; j < keys.length; j++) {
        if ((j & 255) == 255 && task != null) {
          task.killTaskIfInterrupted(); // the job failed elsewhere: stop writing
        }
        if (fail && j == 3) {
          throw new IllegalStateException("injected failure in attempt " + task.attemptNumber() + " of shard " + shard);
        }
        long base = ids[j] / reps;
        int rep = (int) (ids[j] % reps);
        w.add(ids[j], base, rep, keys[j], sampler, spec.seed);
      }
      w.finish();
    } catch (Throwable e) {
      w.abandon();
      throw e;
    }
    long[] c = w.counts();
    return List.of(new long[] {s, c[0], c[1], c[2]}).iterator();
  }

  /** Adjacent placement: a contiguous base range is one shard already, keyed by document id. */
  static long[] adjacentBatch(CorpusSpec spec, long[] baseRange) {
    int reps = spec.process.repetitions();
    long first = CorpusLayout.documentId(baseRange[0], 0, reps);
    int n = (int) ((baseRange[1] - baseRange[0]) * reps);
    long[] b = new long[2 * n];
    for (int j = 0; j < n; j++) {
      b[j] = CorpusLayout.orderKey(spec.placement, spec.seed, first + j);
      b[n + j] = first + j;
    }
    return b;
  }
}
