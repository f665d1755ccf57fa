package org.arbor.jobs.corpus;

import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.arbor.corpus.DocumentBuffer;
import org.arbor.corpus.DocumentSampler;
import org.arbor.corpus.DocumentSource;
import org.arbor.random.Rng;

/**
 * A shard task's write loop on one thread, without Spark, against the same documents only
 * sampled: documents in stream order (each a repetition of a pseudo-random base document, as after
 * the corpus shuffle) sampled straight into a {@link ShardWriter}, or into a buffer that is then
 * dropped. Each round times both back to back, so drift on a shared machine hits both alike.
 */
public final class OneThreadWrite {
  private OneThreadWrite() {}

  /**
   * Nanoseconds per token: {writing the shard, sampling alone}, medians over rounds of at least
   * tokens tokens; conf: the file system settings generate runs with.
   */
  public static double[] nanosPerToken(DocumentSource process, long tokens, java.nio.file.Path file, int rounds,
      Configuration conf) throws IOException {
    double[] write = new double[rounds];
    double[] sample = new double[rounds];
    for (int round = -1; round < rounds; round++) { // round -1 warms up the JIT
      DocumentSampler sampler = process.newSampler();
      int reps = process.repetitions();
      DocumentBuffer buffer = new DocumentBuffer();
      long n = 0;
      long start = System.nanoTime();
      long docs = 0;
      for (; n < tokens; docs++) {
        long id = Rng.mix64(docs) >>> 24;
        buffer.clear();
        sampler.sampleInto(1, id / reps, (int) (id % reps), buffer);
        n += buffer.length();
      }
      double sampled = (System.nanoTime() - start) / (double) n;
      ShardWriter w = new ShardWriter(conf, new Path(file.toUri()), "train", 1, sampler.columns());
      start = System.nanoTime();
      for (long j = 0; j < docs; j++) {
        long id = Rng.mix64(j) >>> 24;
        w.add(j, id / reps, (int) (id % reps), j, sampler, 1);
      }
      w.finish();
      if (round >= 0) {
        write[round] = (System.nanoTime() - start) / (double) w.counts()[1];
        sample[round] = sampled;
      }
    }
    Arrays.sort(write);
    Arrays.sort(sample);
    return new double[] {write[rounds / 2], sample[rounds / 2]};
  }
}
