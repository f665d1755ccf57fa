package org.arbor.train;

import java.nio.file.Path;
import org.arbor.corpus.WindowPosition;

/** The trainer's view of a corpus split: context windows in a seeded, resumable order. */
public interface Windows extends AutoCloseable {
  /** Fills window with the next context window; returns how many of its tokens are real (the rest is padding). */
  int next(int[] window);

  /** Where the next window comes from (saved with checkpoints). */
  WindowPosition position();

  @Override
  void close();

  /** Opens a split: shuffled for training, plain order for evaluation. */
  interface Factory {
    Windows open(Path split, TrainConfig config, int padId, boolean shuffle, WindowPosition start);
  }
}
