package org.arbor.train;

import java.io.PrintStream;

/** A one-line progress bar with loss, tokens/s and time left, redrawn at most twice a second. */
final class Progress {
  private final PrintStream out;
  private final long total;
  private final long first;
  private final long started = System.nanoTime();
  private long lastDraw;

  Progress(PrintStream out, long total, long first) {
    this.out = out;
    this.total = total;
    this.first = first;
  }

  void update(long step, double loss, double tokensPerSecond) {
    long now = System.nanoTime();
    if (now - lastDraw < 500_000_000L && step < total) {
      return;
    }
    lastDraw = now;
    double elapsed = (now - started) / 1e9;
    double left = step > first ? elapsed / (step - first) * (total - step) : Double.NaN;
    int width = 30;
    int filled = (int) (width * step / total);
    out.printf("\r[%s%s] step %d/%d loss %.4f %,.0f tok/s %s left   ", "#".repeat(filled), ".".repeat(width - filled),
        step, total, loss, tokensPerSecond, Double.isNaN(left) ? "?" : duration(left));
    out.flush();
  }

  void finish() {
    out.println();
  }

  private static String duration(double s) {
    long x = Math.round(s);
    return x >= 3600 ? String.format("%dh%02dm", x / 3600, x % 3600 / 60) : String.format("%dm%02ds", x / 60, x % 60);
  }
}
