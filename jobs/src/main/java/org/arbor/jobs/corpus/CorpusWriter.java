package org.arbor.jobs.corpus;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.JavaSparkStatusTracker;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.arbor.corpus.CorpusSpec;
import org.arbor.corpus.Manifest;
import org.arbor.corpus.TokenizerJson;

/**
 * Generates a corpus with Spark, both splits in one job. Ranges of base document ids are turned
 * into (order key, document id) pairs in parallel ({@link DocumentKeys}); shuffled placement moves
 * only these pairs to the task of the shard whose key range holds them, adjacent placement needs
 * no shuffle.
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
    String group = "arbor-corpus-" + java.util.UUID.randomUUID();
    spark.sparkContext().setJobGroup(group, "generate " + spec.name, false);
    try {
      Manifest.SplitCounts[] counts = writeSplits(dir);
      dir.writeText(Manifest.TOKENIZER, TokenizerJson.of(spec.process.vocabulary(), spec.process.vocabulary().contentTokens()));
      dir.writeText(Manifest.FILE, Manifest.write(spec, counts[0], counts[1]));
      dir.commit();
    } catch (Throwable e) { // Spark's exceptions are checked but undeclared: catch everything
      awaitNoRunningTasks(group);
      dir.abort();
      throw e;
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  /**
   * After a failed job Spark flags its other running tasks as killed, but they run on until they
   * look ({@link ShardTask} does every few hundred documents): wait for them, so that none writes
   * a shard into the temporary directory after abort removed it (up to a minute).
   */
  private void awaitNoRunningTasks(String group) {
    JavaSparkStatusTracker tracker = JavaSparkContext.fromSparkContext(spark.sparkContext()).statusTracker();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      int running = 0;
      for (int job : tracker.getJobIdsForGroup(group)) {
        SparkJobInfo info = tracker.getJobInfo(job);
        for (int stage : info == null ? new int[0] : info.stageIds()) {
          SparkStageInfo s = tracker.getStageInfo(stage);
          running += s == null ? 0 : s.numActiveTasks();
        }
      }
      if (running == 0) {
        return;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Both splits in one Spark job, so a corpus pays a job's fixed cost once: the job's partitions
   * are the train split's shards, then the test split's.
   */
  private Manifest.SplitCounts[] writeSplits(OutputDirectory dir) {
    boolean adjacent = spec.placement == CorpusSpec.Placement.ADJACENT;
    int[] shards = new int[SPLITS.length];
    int[] firstPartition = new int[SPLITS.length + 1];
    String[] dirs = new String[SPLITS.length];
    List<long[]> ranges = new ArrayList<>(); // {first base id, end, split}
    for (int i = 0; i < SPLITS.length; i++) {
      String split = SPLITS[i];
      long first = spec.firstBaseDocument(split);
      long n = spec.baseDocuments(split);
      // Adjacent placement keeps base ids in order: each contiguous id range is one shard already.
      int slices = (int) Math.max(1, Math.min(Math.max(n, 1), adjacent ? spec.shards(split) : partitions));
      for (int j = 0; j < slices; j++) {
        ranges.add(new long[] {first + n * j / slices, first + n * (j + 1) / slices, i});
      }
      shards[i] = adjacent ? slices : spec.shards(split);
      firstPartition[i + 1] = firstPartition[i] + shards[i];
      dirs[i] = dir.path(split);
    }
    JavaRDD<long[]> baseRanges = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(ranges, ranges.size());
    JavaRDD<long[]> batches;
    if (adjacent) {
      CorpusSpec s = spec;
      batches = baseRanges.map(r -> ShardTask.adjacentBatch(s, r));
    } else {
      // Keys-only shuffle: (order key, document id) pairs move, the shard's task samples the documents.
      batches = baseRanges.flatMapToPair(new DocumentKeys(spec, shards, firstPartition))
          .partitionBy(new ShardPartitioner(firstPartition[SPLITS.length]))
          .values();
    }
    // Each task writes its partition as a shard part-<shard>.parquet of its split (empty ones too,
    // so the shard count is fixed).
    SerializableConfiguration conf = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
    List<long[]> written = batches.mapPartitionsWithIndex(new ShardTask(spec, SPLITS, dirs, firstPartition, conf,
        (long) FIXED_POINT, failFirstAttemptOfPartition, failAttempts), false).collect();
    long[][] sums = new long[SPLITS.length][3];
    for (long[] c : written) {
      for (int k = 0; k < 3; k++) {
        sums[(int) c[0]][k] += c[1 + k];
      }
    }
    Manifest.SplitCounts[] counts = new Manifest.SplitCounts[SPLITS.length];
    for (int i = 0; i < SPLITS.length; i++) {
      counts[i] = new Manifest.SplitCounts(spec.baseDocuments(SPLITS[i]), sums[i][0], sums[i][1],
          sums[i][2] / FIXED_POINT, shards[i]);
    }
    return counts;
  }
}
