package org.arbor.corpus;

/**
 * Where a {@link WindowStream} is: the next window it returns is window {@code window} (in the
 * shard's window order) of the {@code shard}-th shard in epoch {@code epoch}'s shard order. A
 * stream built with the same split, options and seed and started at this position returns exactly
 * the windows the original stream would have returned next.
 */
public record WindowPosition(int epoch, int shard, int window) {
  /** The first window of the first epoch. */
  public static final WindowPosition START = new WindowPosition(0, 0, 0);

  public WindowPosition {
    if (epoch < 0 || shard < 0 || window < 0) {
      throw new IllegalArgumentException("window position needs non-negative epoch, shard and window, got " + epoch
          + ", " + shard + ", " + window);
    }
  }
}
