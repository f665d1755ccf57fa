package org.arbor.jobs.stats;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.arbor.corpus.Sentences;
import org.arbor.random.Rng;
import scala.Tuple2;

/**
 * 128-bit hashes of the sentences of each row ({@link Sentences}),
 * wide enough that distinct sentences never collide in practice at any corpus size (the released
 * code's deduplication key overflowed on 12-token sentences).
 */
final class SentenceHashes implements FlatMapFunction<Row, Tuple2<Long, Long>> {
  private static final long serialVersionUID = 1L;
  static final String[] COLUMNS = {"tokens", "section", "paragraph", "sentence"};

  @Override
  public Iterator<Tuple2<Long, Long>> call(Row r) {
    int[] tok = SplitStatistics.ints(r.getList(0));
    short[] sec = SplitStatistics.shorts(r.getList(1));
    short[] par = SplitStatistics.shorts(r.getList(2));
    short[] sen = SplitStatistics.shorts(r.getList(3));
    List<Tuple2<Long, Long>> out = new ArrayList<>();
    Sentences.forEach(sec, par, sen, (from, to) -> {
      long a = 0x243F6A8885A308D3L;
      long b = 0x13198A2E03707344L;
      for (int j = from; j < to; j++) {
        a = Rng.mix64(a + tok[j]);
        b = Rng.mix64(b ^ (tok[j] * 0x9E3779B97F4A7C15L + j - from));
      }
      out.add(new Tuple2<>(a, b ^ (to - from)));
    });
    return out.iterator();
  }
}
