package org.arbor.train;

import java.util.TreeSet;

/**
 * The steps at which checkpoints are written: N evenly spaced (the paper: 100) or N log-spaced, so
 * that early emergence is seen; the last step is always included.
 */
public final class CheckpointSchedule {
  private CheckpointSchedule() {}

  public static long[] steps(String spacing, int count, long total) {
    if (count < 1) {
      throw new IllegalArgumentException("checkpoints.count must be at least 1");
    }
    TreeSet<Long> s = new TreeSet<>();
    for (int i = 1; i <= count; i++) {
      long step = switch (spacing) {
        case "even" -> Math.round((double) total * i / count);
        case "log" -> Math.round(Math.exp(Math.log(total) * i / count));
        default -> throw new IllegalArgumentException("checkpoints.spacing must be even or log, got '" + spacing + "'");
      };
      s.add(Math.max(1, Math.min(total, step)));
    }
    s.add(total);
    return s.stream().mapToLong(Long::longValue).toArray();
  }
}
