package org.arbor.probe;

import java.util.List;

/**
 * A measurement of one mechanism on one model. Implementations are built from their settings
 * (a YAML mapping, see {@link Probes}), draw every input from the context's seed, and so give the
 * same results for the same model, settings and seed.
 */
public interface Probe {
  /** The probe's name in sweep configs and in the results table. */
  String name();

  List<ProbeResult> run(ProbeContext context);
}
