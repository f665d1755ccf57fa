package org.arbor.probe.geometry;

/**
 * Limited-memory BFGS (Nocedal and Wright, Numerical Optimization, 2nd ed., Algorithm 7.4 and 7.5)
 * with a backtracking Armijo line search, for smooth convex objectives such as the L2-regularised
 * softmax loss. Deterministic: no random state, a fixed sequence of evaluations for a given start.
 */
final class Lbfgs {
  /** f(x), writing its gradient into {@code gradient}. */
  interface Objective {
    double evaluate(double[] x, double[] gradient);
  }

  record Result(double[] x, double value, int iterations, boolean converged) {}

  private static final double ARMIJO = 1e-4;

  private Lbfgs() {}

  /**
   * Minimises f from x0 until the largest gradient component is at most {@code tolerance}, the value
   * stops decreasing (relative change below 1e-14), or {@code maxIterations} steps are taken.
   */
  static Result minimize(Objective f, double[] x0, int memory, int maxIterations, double tolerance) {
    int n = x0.length;
    double[] x = x0.clone();
    double[] g = new double[n];
    double fx = f.evaluate(x, g);
    double[][] s = new double[memory][];
    double[][] y = new double[memory][];
    double[] rho = new double[memory];
    double[] alpha = new double[memory];
    int stored = 0;
    int newest = -1;
    double[] xNew = new double[n];
    double[] gNew = new double[n];
    for (int iter = 0; iter < maxIterations; iter++) {
      if (maxAbs(g) <= tolerance) {
        return new Result(x, fx, iter, true);
      }
      // Two-loop recursion: d = -H g with H the L-BFGS inverse Hessian estimate.
      double[] d = g.clone();
      for (int k = 0; k < stored; k++) {
        int j = Math.floorMod(newest - k, memory);
        alpha[j] = rho[j] * dot(s[j], d);
        axpy(-alpha[j], y[j], d);
      }
      double gamma = stored > 0 ? dot(s[newest], y[newest]) / dot(y[newest], y[newest]) : 1 / Math.max(1, norm(g));
      scale(gamma, d);
      for (int k = stored - 1; k >= 0; k--) {
        int j = Math.floorMod(newest - k, memory);
        double beta = rho[j] * dot(y[j], d);
        axpy(alpha[j] - beta, s[j], d);
      }
      scale(-1, d);
      double slope = dot(g, d);
      if (slope >= 0) { // not a descent direction (round-off): restart from steepest descent
        stored = 0;
        d = g.clone();
        scale(-1 / Math.max(1, norm(g)), d);
        slope = dot(g, d);
      }
      double step = 1;
      double fNew;
      while (true) {
        for (int i = 0; i < n; i++) {
          xNew[i] = x[i] + step * d[i];
        }
        fNew = f.evaluate(xNew, gNew);
        if (fNew <= fx + ARMIJO * step * slope) {
          break;
        }
        step *= 0.5;
        if (step < 1e-20) {
          return new Result(x, fx, iter, false);
        }
      }
      double[] sk = new double[n];
      double[] yk = new double[n];
      for (int i = 0; i < n; i++) {
        sk[i] = xNew[i] - x[i];
        yk[i] = gNew[i] - g[i];
      }
      double sy = dot(sk, yk);
      // Strict convexity gives s.y > 0; a pair without it would break the positive definiteness of H.
      if (sy > 1e-16 * norm(sk) * norm(yk)) {
        newest = (newest + 1) % memory;
        s[newest] = sk;
        y[newest] = yk;
        rho[newest] = 1 / sy;
        stored = Math.min(stored + 1, memory);
      }
      double previous = fx;
      System.arraycopy(xNew, 0, x, 0, n);
      System.arraycopy(gNew, 0, g, 0, n);
      fx = fNew;
      if (previous - fx <= 1e-14 * Math.max(1, Math.abs(fx))) {
        return new Result(x, fx, iter + 1, maxAbs(g) <= tolerance);
      }
    }
    return new Result(x, fx, maxIterations, maxAbs(g) <= tolerance);
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  private static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static void scale(double a, double[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= a;
    }
  }
}
