package org.arbor.jobs.stats;

import java.util.Iterator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.arbor.corpus.CorpusStatistics;
import org.arbor.corpus.DocumentSource;
import org.arbor.ngram.NgramProcess;

/** One task's statistics of its rows; N-gram documents with doc_id % stride == 0 are also scored. */
final class SplitStatistics implements FlatMapFunction<Iterator<Row>, CorpusStatistics> {
  private static final long serialVersionUID = 1L;
  static final String[] COLUMNS = {"doc_id", "tokens", "category", "rank", "section", "paragraph", "sentence", "log_prob"};
  private final DocumentSource process;
  private final long seed;
  private final long stride;

  SplitStatistics(DocumentSource process, long seed, long stride) {
    this.process = process;
    this.seed = seed;
    this.stride = stride;
  }

  @Override
  public Iterator<CorpusStatistics> call(Iterator<Row> rows) {
    CorpusStatistics s = new CorpusStatistics(process.vocabulary().size(), process.categories());
    ToDoubleFunction<int[]> scorer = process instanceof NgramProcess n ? n.scorer(seed) : null;
    while (rows.hasNext()) {
      Row r = rows.next();
      int[] tokens = ints(r.getList(1));
      s.add(tokens, shorts(r.getList(2)), ints(r.getList(3)), shorts(r.getList(4)), shorts(r.getList(5)),
          shorts(r.getList(6)), r.getDouble(7));
      if (scorer != null && r.getLong(0) % stride == 0) {
        s.addMarginal(scorer.applyAsDouble(tokens), tokens.length);
      }
    }
    return List.of(s).iterator();
  }

  static int[] ints(List<Object> l) {
    int[] a = new int[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = ((Number) l.get(i)).intValue();
    }
    return a;
  }

  static short[] shorts(List<Object> l) {
    short[] a = new short[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = ((Number) l.get(i)).shortValue();
    }
    return a;
  }
}
