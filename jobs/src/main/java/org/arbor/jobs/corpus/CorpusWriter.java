package org.arbor.jobs.corpus;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.arbor.corpus.CorpusSpec;
import org.arbor.corpus.Manifest;
import org.arbor.corpus.TokenizerJson;

/**
 * Generates a corpus with Spark. Per split, ranges of base document ids are turned into (order
 * key, document id) pairs in parallel ({@link DocumentKeys}); shuffled placement moves only these
 * pairs to the task of the shard whose key range holds them, adjacent placement needs no shuffle.
 * Each shard's task puts its documents in stream order, samples them and writes its shard
 * ({@link ShardTask}, {@link ShardWriter}); nothing but per-shard counts reaches the driver.
 * Output is written under a temporary directory and committed by rename, manifest last.
 */
public final class CorpusWriter {
  public static final String[] SPLITS = {"train", "test"};
  /** ln-probability sums are added as fixed-point integers so they do not depend on summation order. */
  private static final double FIXED_POINT = 1 << 20;

  private final SparkSession spark;
  private final CorpusSpec spec;
  private int partitions;
  private int failFirstAttemptOfPartition = -1;
  private int failAttempts = 1;

  public CorpusWriter(SparkSession spark, CorpusSpec spec) {
    this.spark = spark;
    this.spec = spec;
    this.partitions = spark.sparkContext().defaultParallelism();
  }

  /** Parallelism of the key stage (the output's shard count, which sets the sampling parallelism, comes from the corpus config). */
  public CorpusWriter partitions(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("--partitions must be at least 1, got " + n);
    }
    partitions = n;
    return this;
  }

  /** Test hook: the first attempt of this shard's task fails after a few rows. */
  public CorpusWriter failFirstAttemptOfPartition(int p) {
    failFirstAttemptOfPartition = p;
    return this;
  }

  /** Test hook: how many attempts of that partition fail (1 by default). */
  public CorpusWriter failAttempts(int attempts) {
    failAttempts = attempts;
    return this;
  }

  public void write(String out, boolean overwrite) {
    OutputDirectory dir = OutputDirectory.begin(spark.sparkContext().hadoopConfiguration(), out, overwrite, Manifest.FILE);
    try {
      Manifest.SplitCounts[] counts = new Manifest.SplitCounts[SPLITS.length];
      for (int i = 0; i < SPLITS.length; i++) {
        counts[i] = writeSplit(dir, SPLITS[i]);
      }
      dir.writeText(Manifest.TOKENIZER, TokenizerJson.of(spec.process.vocabulary(), spec.process.vocabulary().contentTokens()));
      dir.writeText(Manifest.FILE, Manifest.write(spec, counts[0], counts[1]));
      dir.commit();
    } catch (Throwable e) { // Spark's exceptions are checked but undeclared: catch everything
      dir.abort();
      throw e;
    }
  }

  private Manifest.SplitCounts writeSplit(OutputDirectory dir, String split) {
    long first = spec.firstBaseDocument(split);
    long n = spec.baseDocuments(split);
    int shards = spec.shards(split);
    SerializableConfiguration conf = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
    boolean adjacent = spec.placement == CorpusSpec.Placement.ADJACENT;
    // Adjacent placement keeps base ids in order: each contiguous id range is one shard already.
    int slices = (int) Math.max(1, Math.min(Math.max(n, 1), adjacent ? shards : partitions));
    List<long[]> ranges = new ArrayList<>();
    for (int i = 0; i < slices; i++) {
      ranges.add(new long[] {first + n * i / slices, first + n * (i + 1) / slices});
    }
    JavaRDD<long[]> baseRanges = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(ranges, slices);
    JavaRDD<long[]> batches;
    if (adjacent) {
      CorpusSpec s = spec;
      batches = baseRanges.map(r -> ShardTask.adjacentBatch(s, r));
    } else {
      // Keys-only shuffle: (order key, document id) pairs move, the shard's task samples the documents.
      batches = baseRanges.flatMapToPair(new DocumentKeys(spec, shards))
          .partitionBy(new ShardPartitioner(shards))
          .values();
    }
    // Each task writes its partition as shard part-<partition>.parquet (empty ones too, so the
    // shard count is fixed).
    List<long[]> counts = batches.mapPartitionsWithIndex(new ShardTask(spec, split, dir.path(split), conf,
        (long) FIXED_POINT, failFirstAttemptOfPartition, failAttempts), false).collect();
    long docs = 0;
    long tokens = 0;
    long logProb = 0;
    for (long[] c : counts) {
      docs += c[0];
      tokens += c[1];
      logProb += c[2];
    }
    return new Manifest.SplitCounts(n, docs, tokens, logProb / FIXED_POINT, counts.size());
  }

}
