package org.arbor.sweep;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arbor.config.ConfigNode;
import org.arbor.model.CausalLm;
import org.arbor.olmo.OlmoRevisions;
import org.arbor.olmo.TokenizerIds;
import org.arbor.probe.Probe;
import org.arbor.probe.ProbeContext;
import org.arbor.probe.ProbeCorpus;
import org.arbor.probe.ProbeResult;
import org.arbor.probe.Probes;
import org.arbor.probe.fv.FunctionVectorProbe;
import org.arbor.results.ResultRow;

/**
 * Runs one cell: loads its checkpoint (through the executor's {@link ModelCache}) and runs the
 * group's probes on it. A checkpoint that is missing, corrupt or does not fit its corpus, and a probe
 * that fails, become error rows naming the checkpoint and the problem, so one bad cell never hides
 * the others.
 */
public final class CellRunner {
  private final SweepSpec spec;
  private final ModelCache cache;

  public CellRunner(SweepSpec spec, ModelCache cache) {
    this.spec = spec;
    this.cache = cache;
  }

  public List<ResultRow> run(SweepCell c) {
    if (c.isLoss()) {
      try {
        return LossRows.of(c);
      } catch (Exception e) {
        return List.of(error(c, SweepCell.LOSS, e));
      }
    }
    ProbeCorpus corpus;
    try {
      corpus = c.corpus() == null ? null : ProbeCorpus.open(Path.of(c.corpus()));
    } catch (RuntimeException e) {
      return errors(c, new IllegalArgumentException("corpus " + c.corpus() + ": " + e.getMessage(), e));
    }
    Path checkpoint;
    try {
      checkpoint = localCheckpoint(c);
    } catch (Exception e) {
      return errors(c, e);
    }
    try (ModelCache.Lease lease = cache.acquire(checkpoint)) {
      CausalLm model = lease.model;
      if (corpus != null && model.vocabSize() < corpus.process().vocabulary().size()) {
        return errors(c, new IllegalArgumentException("model vocabulary " + model.vocabSize()
            + " is smaller than its corpus's " + corpus.process().vocabulary().size() + " (another architecture?)"));
      }
      List<int[]> text = TextWindows.of(c, checkpoint, spec.file);
      // Only the function-vector probe draws tokens from an id range; OLMo's tokenizer.json is 2 MB.
      java.util.BitSet ordinary = corpus == null && c.probes().contains(FunctionVectorProbe.NAME)
          ? TokenizerIds.ordinary(checkpoint.resolve("tokenizer.json")) : null;
      List<ResultRow> rows = new ArrayList<>();
      for (String name : c.probes()) {
        Probe probe = Probes.create(name, settings(name));
        try (NDManager manager = NDManager.newBaseManager()) {
          for (ProbeResult r : probe.run(new ProbeContext(model, corpus, text, spec.seed, manager, ordinary))) {
            rows.add(new ResultRow(c.run(), c.modelKind(), c.checkpoint(), c.step(), c.tokensSeen(), r.probe(),
                r.layer(), r.head(), r.key(), r.value(), null));
          }
        } catch (Exception e) {
          rows.add(error(c, name, e));
        }
      }
      return rows;
    } catch (Exception e) {
      return errors(c, e);
    }
  }

  /** The checkpoint as a local directory: OLMo revisions on other file systems are copied to a cache once. */
  private static Path localCheckpoint(SweepCell c) throws java.io.IOException {
    if (!c.options().containsKey("revision")) {
      return Path.of(c.checkpoint());
    }
    OlmoRevisions root = OlmoRevisions.open((String) c.options().get("root"));
    Path cache = Path.of(System.getProperty("java.io.tmpdir"), "arbor-revisions");
    return root.localDirectory(OlmoRevisions.parse((String) c.options().get("revision"), c.checkpoint()), cache);
  }

  private ConfigNode settings(String probe) {
    Map<String, Object> raw = spec.probes.get(probe);
    return ConfigNode.of(spec.file, "probes." + probe, raw);
  }

  private static List<ResultRow> errors(SweepCell c, Exception e) {
    List<ResultRow> rows = new ArrayList<>();
    for (String p : c.probes()) {
      rows.add(error(c, p, e));
    }
    return rows;
  }

  private static ResultRow error(SweepCell c, String probe, Exception e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return ResultRow.error(c.run(), c.modelKind(), c.checkpoint(), c.step(), c.tokensSeen(), probe,
        c.checkpoint() + ": " + message);
  }
}
