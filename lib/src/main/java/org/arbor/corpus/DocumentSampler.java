package org.arbor.corpus;

/** A thread-confined sampler of one process; holds reusable buffers and caches. */
public interface DocumentSampler {
  /**
   * Appends the document (base document, repetition) to out, writing the columns of
   * {@link #columns()}; returns ln P(tokens | the document's latents).
   */
  double sampleInto(long seed, long baseDocument, int repetition, DocumentBuffer out);

  /** The columns this process annotates, as a {@link DocumentBuffer#bit} mask. */
  int columns();

  /** The document as a record of its own (a fresh buffer each time: for probes and tests). */
  default Document sample(long seed, long baseDocument, int repetition) {
    DocumentBuffer out = new DocumentBuffer();
    double logP = sampleInto(seed, baseDocument, repetition, out);
    return out.build(0, logP, columns());
  }
}
