package org.arbor.probe.induction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.arbor.corpus.WindowStream;
import org.arbor.model.CausalLm;
import org.arbor.model.Hooks;
import org.arbor.probe.ProbeContext;

/**
 * The in-context-learning score (Olsson et al. 2022: loss at token 500 minus loss at token 50 of
 * 512): on held-out windows of T tokens, the mean next-token loss (nats) over the last c predictions
 * minus that over the first c, c = max(1, round(fraction * (T - 1))) of the T - 1 predictions, so
 * the positions scale with the context length. Prediction j (j = 1..T-1) is the loss of token j
 * given tokens 0..j-1: early = j in 1..c, late = j in T-c..T-1. Negative means the model predicts
 * better with more context.
 *
 * <p>Windows: with a corpus directory, the first {@code count} windows of its test split in stream
 * order, cut as in training (flat, contiguous windows of T tokens: {@link WindowStream}, no
 * shuffling; a split whose shards are all shorter than T is an error); otherwise the context's
 * natural-text windows (OLMo: Paloma), each truncated to T, where T is capped by the shortest of
 * them. T is the {@code context} setting, by default the model's max positions. A batch holds
 * batch_size x T x V logits.
 */
final class InContextLoss {
  /** The losses of the score; {@code windows} is how many were read. */
  record Result(double early, double late, int windows, int length) {
    double score() {
      return late - early;
    }
  }

  private InContextLoss() {}

  /** Null when the context has neither a corpus directory nor text windows. */
  static Result measure(ProbeContext ctx, int count, int context, double earlyFraction, double lateFraction,
      int batchSize) {
    CausalLm model = ctx.model();
    int length = context > 0 ? context : model.maxPositions();
    if (length > model.maxPositions()) {
      throw new IllegalArgumentException("induction: context " + length + " exceeds the model's "
          + model.maxPositions() + " positions");
    }
    List<int[]> windows = new ArrayList<>();
    if (ctx.corpus() != null && ctx.corpus().directory() != null) {
      WindowStream stream = WindowStream.builder(ctx.corpus().split("test"), length).shuffle(false).epochs(1)
          .vocabularySize(model.vocabSize()).build();
      for (int i = 0; i < count; i++) {
        int[] w = new int[length];
        if (stream.next(w) < 0) {
          break;
        }
        windows.add(w);
      }
    } else if (!ctx.textWindows().isEmpty()) {
      for (int[] w : ctx.textWindows()) {
        length = Math.min(length, w.length);
      }
      for (int i = 0; i < Math.min(count, ctx.textWindows().size()); i++) {
        windows.add(java.util.Arrays.copyOf(ctx.textWindows().get(i), length));
      }
    } else {
      return null;
    }
    if (windows.isEmpty()) {
      throw new IllegalArgumentException("induction: no held-out window of " + length + " tokens to measure icl_score");
    }
    if (length < 2) {
      throw new IllegalArgumentException("induction: icl_score needs windows of at least 2 tokens, got " + length);
    }
    int predictions = length - 1;
    int early = Math.max(1, (int) Math.round(earlyFraction * predictions));
    int late = Math.max(1, (int) Math.round(lateFraction * predictions));
    if (early > predictions || late > predictions) {
      throw new IllegalArgumentException("induction: early/late fractions select more than the " + predictions
          + " predictions of a window");
    }
    double earlySum = 0;
    double lateSum = 0;
    for (int start = 0; start < windows.size(); start += batchSize) {
      int b = Math.min(batchSize, windows.size() - start);
      int[] flat = new int[b * length];
      for (int i = 0; i < b; i++) {
        System.arraycopy(windows.get(start + i), 0, flat, i * length, length);
      }
      try (NDManager m = ctx.manager().newSubManager()) {
        NDArray tokens = m.create(flat, new Shape(b, length));
        float[] nll = nll(model, tokens);
        for (int i = 0; i < b; i++) {
          for (int j = 0; j < early; j++) {
            earlySum += nll[i * predictions + j];
          }
          for (int j = predictions - late; j < predictions; j++) {
            lateSum += nll[i * predictions + j];
          }
        }
      }
    }
    return new Result(earlySum / ((double) early * windows.size()), lateSum / ((double) late * windows.size()),
        windows.size(), length);
  }

  /** Next-token losses [B, T-1] (nats), flattened. */
  static float[] nll(CausalLm model, NDArray tokens) {
    long t = tokens.getShape().get(1);
    NDArray logits = model.forward(tokens, Hooks.NONE);
    NDArray logp = logits.get(new NDIndex(":, :{}", t - 1)).logSoftmax(-1);
    NDArray target = tokens.get(new NDIndex(":, 1:")).toType(DataType.INT64, false).expandDims(-1);
    return logp.gather(target, -1).neg().toType(DataType.FLOAT32, false).toFloatArray();
  }
}
