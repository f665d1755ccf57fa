package org.arbor.corpus;

/** A thread-confined sampler of one process; holds reusable buffers and caches. */
public interface DocumentSampler {
  Document sample(long seed, long baseDocument, int repetition);
}
