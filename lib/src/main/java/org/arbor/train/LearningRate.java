package org.arbor.train;

/**
 * Learning-rate schedules: linear warmup from 0 over `warmup` steps, then constant, linear decay to
 * 0 at the last step (the paper's), or cosine decay to min_ratio x peak.
 */
public record LearningRate(String kind, double peak, long warmup, long total, double minRatio) {
  public LearningRate {
    if (!kind.equals("constant") && !kind.equals("linear") && !kind.equals("cosine")) {
      throw new IllegalArgumentException("schedule must be constant, linear or cosine, got '" + kind + "'");
    }
  }

  /** The rate for the update that makes step `step` (1-based, as torch's schedulers after step()). */
  public double at(long step) {
    if (warmup > 0 && step <= warmup) {
      return peak * step / warmup;
    }
    if (kind.equals("constant")) {
      return peak;
    }
    double progress = total <= warmup ? 1 : (double) (step - warmup) / (total - warmup);
    progress = Math.min(1, Math.max(0, progress));
    if (kind.equals("linear")) {
      return peak * (1 - progress);
    }
    double min = peak * minRatio;
    return min + (peak - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }
}
