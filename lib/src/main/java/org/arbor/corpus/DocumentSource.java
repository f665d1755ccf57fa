package org.arbor.corpus;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A generating process (PCFG or N-gram) as the corpus engine sees it: documents are pure functions
 * of (process, seed, base document id, repetition). Implementations are cheap to serialise; their
 * sampling tables are rebuilt lazily on each executor.
 */
public interface DocumentSource extends Serializable {
  /** "pcfg" or "ngram". */
  String kind();

  String name();

  Vocabulary vocabulary();

  /** Category names by code, as stored in the {@code category} column. */
  List<String> categories();

  /** How many documents share one base document's latents. */
  int repetitions();

  /** A new sampler for one thread; samplers of one source share its read-only tables. */
  DocumentSampler newSampler();

  /** The process's YAML as plain values (for the manifest and the config hash). */
  Map<String, Object> config();

  /** The file the process was read from. */
  String file();
}
