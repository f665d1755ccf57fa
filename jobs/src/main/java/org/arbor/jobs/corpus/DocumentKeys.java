package org.arbor.jobs.corpus;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.arbor.corpus.CorpusLayout;
import org.arbor.corpus.CorpusSpec;
import scala.Tuple2;

/**
 * The map side of the keys-only shuffle: for a range of base document ids of one split ({first,
 * end, split}), the (order key, document id) pair of every document, bucketed by the job partition
 * of the shard whose key range holds it. Documents
 * are not sampled here: a document is a pure function of (process, seed, base id, repetition), so
 * the shard's task samples it again where it writes it, and no token crosses the shuffle (16
 * bytes per document do). Ranges are cut into chunks of at most {@link #CHUNK} documents, one
 * batch per shard and chunk, so a task's memory is bounded whatever the corpus size.
 */
final class DocumentKeys implements PairFlatMapFunction<long[], Integer, long[]> {
  private static final long serialVersionUID = 1L;
  static final int CHUNK = 1 << 20;
  private final CorpusSpec.Placement placement;
  private final long seed;
  private final int repetitions;
  private final int[] shards;
  private final int[] firstPartition;

  /** shards[s]: split s's shard count; its shard k is the job's partition firstPartition[s] + k. */
  DocumentKeys(CorpusSpec spec, int[] shards, int[] firstPartition) {
    this.placement = spec.placement;
    this.seed = spec.seed;
    this.repetitions = spec.process.repetitions();
    this.shards = shards;
    this.firstPartition = firstPartition;
  }

  /** A batch: keys in [0, n), their document ids in [n, 2n). */
  static int size(long[] batch) {
    return batch.length / 2;
  }

  @Override
  public Iterator<Tuple2<Integer, long[]>> call(long[] baseRange) {
    int split = (int) baseRange[2];
    long basesPerChunk = Math.max(1, CHUNK / repetitions);
    return new Iterator<>() {
      long next = baseRange[0];
      final List<Tuple2<Integer, long[]>> ready = new ArrayList<>();
      int at;

      @Override
      public boolean hasNext() {
        while (at == ready.size() && next < baseRange[1]) {
          ready.clear();
          at = 0;
          long end = Math.min(baseRange[1], next + basesPerChunk);
          chunk(next, end, shards[split], firstPartition[split], ready);
          next = end;
        }
        return at < ready.size();
      }

      @Override
      public Tuple2<Integer, long[]> next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return ready.get(at++);
      }
    };
  }

  private void chunk(long fromBase, long toBase, int shards, int partition, List<Tuple2<Integer, long[]>> out) {
    long firstId = CorpusLayout.documentId(fromBase, 0, repetitions);
    int n = (int) ((toBase - fromBase) * repetitions);
    long[] keys = new long[n];
    int[] shard = new int[n];
    int[] sizes = new int[shards];
    for (int j = 0; j < n; j++) {
      keys[j] = CorpusLayout.orderKey(placement, seed, firstId + j);
      shard[j] = CorpusLayout.shardOfKey(keys[j], shards);
      sizes[shard[j]]++;
    }
    long[][] batches = new long[shards][];
    int[] filled = new int[shards];
    for (int s = 0; s < shards; s++) {
      batches[s] = new long[2 * sizes[s]];
    }
    for (int j = 0; j < n; j++) {
      int s = shard[j];
      int k = filled[s]++;
      batches[s][k] = keys[j];
      batches[s][sizes[s] + k] = firstId + j;
    }
    for (int s = 0; s < shards; s++) {
      if (sizes[s] > 0) {
        out.add(new Tuple2<>(partition + s, batches[s]));
      }
    }
  }
}
