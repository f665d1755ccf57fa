package org.arbor.train;

import java.nio.file.Path;
import org.arbor.corpus.WindowPosition;
import org.arbor.corpus.WindowStream;

/** Training windows from a corpus split on disk (Parquet shards), through {@link WindowStream}. */
public final class CorpusWindows implements Windows {
  /** Opens splits with the run's context, packing and seed; evaluation reads one plain epoch. */
  public static final Windows.Factory FACTORY = (split, config, padId, shuffle, start) -> new CorpusWindows(
      WindowStream.builder(split, config.context()).seed(config.seed()).shuffle(shuffle)
          .aligned(config.documentAligned()).padId(padId).vocabularySize(config.model().vocabSize())
          .start(start).build());

  private final WindowStream stream;

  private CorpusWindows(WindowStream stream) {
    this.stream = stream;
  }

  @Override
  public int next(int[] window) {
    int n = stream.next(window);
    if (n < 0) {
      throw new IllegalStateException("the corpus stream ended");
    }
    return n;
  }

  @Override
  public WindowPosition position() {
    return stream.position();
  }

  @Override
  public void close() {
    // WindowStream holds no open files between shards: nothing to release
  }
}
