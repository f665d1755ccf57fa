package org.arbor.jobs.corpus;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.arbor.corpus.CorpusLayout;
import org.arbor.corpus.CorpusSpec;
import org.arbor.corpus.DocumentSampler;

/**
 * Turns a partition of base document ids into corpus rows, lazily (one document in memory at a
 * time). Every row is a pure function of (spec, seed, base id, repetition): nothing depends on the
 * partition, the thread or the attempt, so retries and other partitionings give the same rows.
 */
final class DocumentGenerator implements FlatMapFunction<Iterator<Long>, CorpusRow> {
  private static final long serialVersionUID = 1L;
  private final CorpusSpec spec;
  private final String split;
  private final int failPartition;
  private final int failAttempts;

  /** Test hook: the first failAttempts attempts of partition failPartition (-1: none) fail midway. */
  DocumentGenerator(CorpusSpec spec, String split, int failPartition, int failAttempts) {
    this.spec = spec;
    this.split = split;
    this.failPartition = failPartition;
    this.failAttempts = failAttempts;
  }

  @Override
  public Iterator<CorpusRow> call(Iterator<Long> bases) {
    TaskContext task = TaskContext.get();
    boolean fail = task != null && task.partitionId() == failPartition && task.attemptNumber() < failAttempts;
    DocumentSampler sampler = spec.process.newSampler();
    int reps = spec.process.repetitions();
    return new Iterator<>() {
      long base;
      int rep = reps;
      int emitted;

      @Override
      public boolean hasNext() {
        return rep < reps || bases.hasNext();
      }

      @Override
      public CorpusRow next() {
        if (rep == reps) {
          if (!bases.hasNext()) {
            throw new NoSuchElementException();
          }
          base = bases.next();
          rep = 0;
        }
        if (fail && ++emitted > 3) {
          throw new IllegalStateException("injected failure in attempt " + task.attemptNumber() + " of partition " + task.partitionId());
        }
        int r = rep++;
        long id = CorpusLayout.documentId(base, r, reps);
        long key = CorpusLayout.orderKey(spec.placement, spec.seed, id);
        return new CorpusRow(id, base, r, split, key, sampler.sample(spec.seed, base, r));
      }
    };
  }
}
