package org.arbor.probe.hydra;

import org.arbor.corpus.Document;
import org.arbor.probe.ProbeContext;
import org.arbor.probe.ProbeCorpus;
import org.arbor.random.Rng;

/**
 * The token sequences the Hydra probe runs on, each a pure function of (seed, purpose, index).
 *
 * <ul>
 *   <li>{@code corpus}, model trained on an Arbor corpus: held-out documents (repetition 0) laid end
 *       to end as in the flat training stream, starting at a held-out base document and an offset in
 *       it both drawn uniformly, so a sequence may begin mid-document as training windows do.
 *   <li>{@code corpus}, model without an Arbor corpus (OLMo): a uniformly drawn slice of a uniformly
 *       drawn window of {@link ProbeContext#textWindows()}.
 *   <li>{@code random}: tokens uniform over the model's whole vocabulary (the paper's inputs).
 * </ul>
 */
final class HydraInputs {
  static final long PROMPT_PURPOSE = 0x48594450524FL; // "HYDPRO": the clean prompts
  static final long SOURCE_PURPOSE = 0x485944535243L; // "HYDSRC": the resample-ablation sources

  private final ProbeContext context;
  private final HydraProbe.Inputs kind;
  private final ProbeCorpus.HeldOut heldOut;

  HydraInputs(ProbeContext context, HydraProbe.Inputs kind) {
    this.context = context;
    this.kind = kind;
    if (kind == HydraProbe.Inputs.CORPUS && !context.hasCorpus() && context.textWindows().isEmpty()) {
      throw new IllegalArgumentException("hydra: key 'inputs': 'corpus' needs the model's corpus or text windows,"
          + " and this context has neither (use inputs: random)");
    }
    this.heldOut = kind == HydraProbe.Inputs.CORPUS && context.hasCorpus() ? context.corpus().heldOut() : null;
  }

  /** Sequence {@code id} of the stream {@code purpose}, {@code length} tokens. */
  int[] draw(long purpose, long id, int length) {
    Rng rng = new Rng(context.seed(), purpose, id);
    if (kind == HydraProbe.Inputs.RANDOM) {
      int[] out = new int[length];
      int v = context.model().vocabSize();
      for (int i = 0; i < length; i++) {
        out[i] = rng.nextInt(v);
      }
      return out;
    }
    return heldOut != null ? fromDocuments(rng, length) : fromText(rng, length);
  }

  private int[] fromDocuments(Rng rng, int length) {
    long documents = context.corpus().testBaseDocuments();
    if (documents <= 0) {
      throw new IllegalArgumentException("hydra: the corpus " + context.corpus().directory()
          + " has no held-out base documents");
    }
    long d = Math.floorMod(rng.nextLong(), documents);
    int[] out = new int[length];
    int filled = 0;
    Document first = heldOut.document(d);
    int offset = first.length() == 0 ? 0 : rng.nextInt(first.length());
    int[] tokens = first.tokens();
    for (long k = 0; filled < length; k++) {
      if (k > 0) {
        if (k > documents + 1 && filled == 0) {
          throw new IllegalArgumentException("hydra: the held-out documents of " + context.corpus().directory()
              + " are all empty");
        }
        tokens = heldOut.document(d + k).tokens();
        offset = 0;
      }
      int take = Math.min(tokens.length - offset, length - filled);
      System.arraycopy(tokens, offset, out, filled, take);
      filled += take;
    }
    return out;
  }

  private int[] fromText(Rng rng, int length) {
    int w = rng.nextInt(context.textWindows().size());
    int[] window = context.textWindows().get(w);
    if (window.length < length) {
      throw new IllegalArgumentException("hydra: text window " + w + " has " + window.length
          + " tokens, the probe needs " + length + " (lower 'length')");
    }
    int offset = rng.nextInt(window.length - length + 1);
    return java.util.Arrays.copyOfRange(window, offset, offset + length);
  }
}
