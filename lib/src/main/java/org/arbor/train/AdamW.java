package org.arbor.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with decoupled weight decay, step for step as torch.optim.AdamW: p *= 1 - lr wd;
 * m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr / (1-b1^t) * m / (sqrt(v) / sqrt(1-b2^t) + eps).
 * Its moments are named after their parameters (exp_avg.NAME, exp_avg_sq.NAME) for the trainer state.
 */
public final class AdamW implements AutoCloseable {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final NDManager manager;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private long step;

  public AdamW(NDManager parent, Map<String, NDArray> parameters, double beta1, double beta2, double eps,
      double weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.manager = parent.newSubManager();
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      m.put(e.getKey(), manager.zeros(e.getValue().getShape()));
      v.put(e.getKey(), manager.zeros(e.getValue().getShape()));
    }
  }

  /**
   * One update of every parameter from its gradient, which it then zeroes for the next step
   * (backward passes accumulate); temporaries go to scratch.
   */
  public void step(Map<String, NDArray> parameters, double lr, NDManager scratch) {
    step++;
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2 = 1 - Math.pow(beta2, step);
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      NDArray p = e.getValue();
      NDArray g = p.getGradient();
      g.attach(scratch);
      NDArray mm = m.get(e.getKey());
      NDArray vv = v.get(e.getKey());
      if (weightDecay != 0) {
        p.muli(1 - lr * weightDecay);
      }
      mm.muli(beta1).addi(g.mul(1 - beta1));
      vv.muli(beta2).addi(g.square().mul(1 - beta2));
      // Temporaries of ops on the moments would belong to the optimizer's manager: move them.
      NDArray denom = vv.sqrt();
      denom.attach(scratch);
      denom = denom.divi(Math.sqrt(bc2)).addi(eps);
      NDArray update = mm.div(denom);
      update.attach(scratch);
      p.subi(update.muli(lr / bc1));
      g.muli(0);
    }
  }

  public long steps() {
    return step;
  }

  /** Moments by name, for saving. */
  public Map<String, NDArray> state() {
    Map<String, NDArray> s = new LinkedHashMap<>();
    m.forEach((k, a) -> s.put("exp_avg." + k, a));
    v.forEach((k, a) -> s.put("exp_avg_sq." + k, a));
    return s;
  }

  /** Restores moments and the step count saved by {@link #state()}. */
  public void restore(Map<String, NDArray> saved, long steps, String source) {
    for (Map.Entry<String, NDArray> e : state().entrySet()) {
      NDArray s = saved.get(e.getKey());
      if (s == null || !s.getShape().equals(e.getValue().getShape())) {
        throw new IllegalArgumentException(source + ": optimizer tensor '" + e.getKey() + "' missing or misshapen");
      }
      e.getValue().set(s.toByteBuffer());
    }
    step = steps;
  }

  @Override
  public void close() {
    manager.close();
  }
}
