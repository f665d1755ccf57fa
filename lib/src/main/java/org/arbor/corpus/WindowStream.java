package org.arbor.corpus;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.arbor.random.Rng;

/**
 * Training windows of {@code T} tokens from one split of a corpus ({@code DIR/train} or
 * {@code DIR/test}), epoch after epoch, reading one shard at a time.
 *
 * <p><b>Flat windows</b> (the default, as in the paper): a shard's documents, in row order,
 * concatenated into one token stream and cut into consecutive windows of {@code T} tokens. Windows
 * do not cross shards: the {@code n mod T} tokens left at the end of a shard of {@code n} tokens are
 * dropped (fewer than {@code T} per shard, so under {@code T / (tokens per shard)} of the corpus).
 * Dropping keeps every shard's windows a function of that shard alone, which is what lets shards be
 * shuffled and a stream resume mid-epoch from a position without reading any earlier shard. Without
 * shuffling, the windows of one shard are its tokens cut in order; those of a split are the same
 * for each shard in name order. Every flat window is full: {@link #next} returns {@code T}.
 *
 * <p><b>Document-aligned windows</b> ({@link Builder#aligned}): every document starts a new window
 * at its first token, and a window never holds tokens of two documents. A document of {@code L}
 * tokens gives {@code ceil(L / T)} windows: {@code [0, T)}, {@code [T, 2T)}, ..., the last one
 * holding the remaining {@code L - (k-1)T} tokens followed by the pad id up to {@code T};
 * {@link #next} returns the number of real tokens. Empty documents give no window.
 *
 * <p><b>Order</b>. Without shuffling ({@code shuffle(false)}, for evaluation) every epoch is the
 * split's stream: shards in name order, windows in order. With shuffling, epoch {@code e} visits the
 * shards in a permutation drawn from {@code Rng(seed, SHARD_ORDER, e)} and, within the shard with
 * name-order index {@code s}, its windows in a permutation drawn from
 * {@code Rng(seed, WINDOW_ORDER, key(e, s))}: a fresh order every epoch, a function of
 * (seed, epoch, shard) only. The stream is endless unless {@link Builder#epochs} limits it.
 *
 * <p><b>Resume</b>. {@link #position()} is the position of the next window. A stream built with
 * the same split, {@code T}, seed and options and {@link Builder#start started} at that position
 * returns exactly the windows the first stream would have returned (the shard files must be the
 * same). Memory: one shard's tokens, as {@code int}s, plus for aligned windows two ints per window.
 * Not thread-safe.
 */
public final class WindowStream {
  static final long SHARD_ORDER_PURPOSE = 0x5348415244L; // "SHARD"
  static final long WINDOW_ORDER_PURPOSE = 0x57494E444F57L; // "WINDOW"

  private final Path split;
  private final List<Path> shards;
  private final Configuration conf;
  private final int windowLength;
  private final long seed;
  private final boolean shuffle;
  private final boolean aligned;
  private final int padId;
  private final int epochs;
  private final int vocabularySize;

  // Where the stream is: the next window is `window` of the `slot`-th shard of `epoch`'s order.
  private int epoch;
  private int slot;
  private int window;
  private int[] shardOrder;
  private int shardOrderEpoch = -1;
  // The loaded shard (loadedEpoch, loadedSlot): its tokens and windows.
  private int loadedEpoch = -1;
  private int loadedSlot = -1;
  private String loadedFile;
  private int[] tokens = new int[0];
  private int tokenCount;
  private int windowCount;
  private int[] windowStart = new int[0]; // aligned only
  private int[] windowValid = new int[0]; // aligned only
  private int[] windowOrder; // null: in order
  private int[] documentStart = new int[0]; // aligned only
  private int documentCount;
  private int emptyShardsInARow;

  private WindowStream(Builder b) {
    this.split = b.split;
    this.conf = b.conf == null ? new Configuration() : b.conf;
    this.windowLength = b.windowLength;
    this.seed = b.seed;
    this.shuffle = b.shuffle;
    this.aligned = b.aligned;
    this.padId = b.padId;
    this.epochs = b.epochs;
    this.vocabularySize = b.vocabularySize;
    this.shards = ShardReader.listShards(split, conf);
    if (b.start.shard() >= shards.size()) {
      throw new IllegalArgumentException("start position " + b.start + " is past the " + shards.size()
          + " shards of " + split);
    }
    if (b.validate) {
      for (Path shard : shards) {
        ShardReader.open(shard, conf).close();
      }
    }
    this.epoch = b.start.epoch();
    this.slot = b.start.shard();
    this.window = b.start.window();
  }

  /** A builder for the windows of a split directory, {@code T} tokens each. */
  public static Builder builder(Path split, int windowLength) {
    return new Builder(split, windowLength);
  }

  /** A builder for the windows of a local split directory, {@code T} tokens each. */
  public static Builder builder(java.nio.file.Path split, int windowLength) {
    return new Builder(new Path(split.toAbsolutePath().toUri()), windowLength);
  }

  /** Options of a {@link WindowStream}; every one has a default. */
  public static final class Builder {
    private final Path split;
    private final int windowLength;
    private long seed;
    private boolean shuffle = true;
    private boolean aligned;
    private int padId;
    private int epochs = Integer.MAX_VALUE;
    private int vocabularySize;
    private boolean validate = true;
    private WindowPosition start = WindowPosition.START;
    private Configuration conf;

    private Builder(Path split, int windowLength) {
      this.split = Objects.requireNonNull(split, "split");
      if (windowLength < 1) {
        throw new IllegalArgumentException("window length must be positive, got " + windowLength);
      }
      this.windowLength = windowLength;
    }

    /** Seed of the shard and window permutations (default 0). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Permute shards and windows per epoch (default true); false gives the stream order. */
    public Builder shuffle(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    /** Document-aligned windows (default false: flat windows). */
    public Builder aligned(boolean aligned) {
      this.aligned = aligned;
      return this;
    }

    /** Token id that fills aligned windows after a document's end (default 0). */
    public Builder padId(int padId) {
      this.padId = padId;
      return this;
    }

    /** Ends the stream when epoch {@code epochs} would begin (default: endless). */
    public Builder epochs(int epochs) {
      if (epochs < 0) {
        throw new IllegalArgumentException("epochs must be non-negative, got " + epochs);
      }
      this.epochs = epochs;
      return this;
    }

    /** Fails on a token id outside {@code [0, vocabularySize)} (default 0: no check). */
    public Builder vocabularySize(int vocabularySize) {
      if (vocabularySize < 0) {
        throw new IllegalArgumentException("vocabulary size must be non-negative, got " + vocabularySize);
      }
      this.vocabularySize = vocabularySize;
      return this;
    }

    /** Open every shard's footer when building, to fail early on a bad shard (default true). */
    public Builder validateShards(boolean validate) {
      this.validate = validate;
      return this;
    }

    /** Where the stream starts (default {@link WindowPosition#START}): a position from {@link #position()}. */
    public Builder start(WindowPosition start) {
      this.start = Objects.requireNonNull(start, "start");
      return this;
    }

    /** Hadoop configuration of the file system (default: {@code new Configuration()}). */
    public Builder configuration(Configuration conf) {
      this.conf = conf;
      return this;
    }

    /**
     * Lists the split's shards (and, unless turned off, opens each footer).
     *
     * @throws CorpusReadException if the split directory is missing or empty, or a shard is bad
     */
    public WindowStream build() {
      return new WindowStream(this);
    }
  }

  /**
   * Fills {@code window[0, T)} with the next window.
   *
   * @return the number of real tokens: {@code T} for flat windows; for aligned ones the rest, from
   *     that index on, is the pad id. -1 when the stream has ended ({@link Builder#epochs}).
   * @throws CorpusReadException if a shard cannot be read
   * @throws IllegalStateException if no shard of the split holds a window
   */
  public int next(int[] window) {
    if (window.length < windowLength) {
      throw new IllegalArgumentException("window buffer holds " + window.length + " ints, windows have " + windowLength);
    }
    while (true) {
      if (epoch >= epochs) {
        return -1;
      }
      load();
      if (this.window < windowCount) {
        break;
      }
      nextShard();
    }
    int w = windowOrder == null ? this.window : windowOrder[this.window];
    int valid;
    if (aligned) {
      valid = windowValid[w];
      System.arraycopy(tokens, windowStart[w], window, 0, valid);
      Arrays.fill(window, valid, windowLength, padId);
    } else {
      valid = windowLength;
      System.arraycopy(tokens, w * windowLength, window, 0, windowLength);
    }
    if (++this.window == windowCount) {
      nextShard();
    }
    return valid;
  }

  /**
   * Position of the next window. After a shard's last window it is window 0 of the next shard in
   * the epoch's order (after the epoch's last shard, shard 0 of the next epoch), even where that
   * shard turns out to hold no window and is skipped. To read exactly one epoch, as for evaluation,
   * build with {@code epochs(1)} and read until {@link #next} returns -1.
   */
  public WindowPosition position() {
    return new WindowPosition(epoch, slot, window);
  }

  /** The split's shards in name order. */
  public List<Path> shards() {
    return shards;
  }

  /** {@code T}. */
  public int windowLength() {
    return windowLength;
  }

  private void nextShard() {
    window = 0;
    if (++slot == shards.size()) {
      slot = 0;
      epoch++;
    }
  }

  /** Shard index (name order) of the slot-th shard in the epoch's order. */
  private int shardAt(int epoch, int slot) {
    if (!shuffle) {
      return slot;
    }
    if (shardOrderEpoch != epoch) {
      shardOrder = new Rng(seed, SHARD_ORDER_PURPOSE, epoch).permutation(shards.size());
      shardOrderEpoch = epoch;
    }
    return shardOrder[slot];
  }

  /** Loads the shard at (epoch, slot) and its window order, unless loaded. */
  private void load() {
    if (loadedEpoch == epoch && loadedSlot == slot) {
      return;
    }
    int shard = shardAt(epoch, slot);
    readShard(shards.get(shard));
    windowCount = aligned ? alignWindows() : tokenCount / windowLength;
    windowOrder = shuffle ? new Rng(seed, WINDOW_ORDER_PURPOSE, Rng.key(epoch, shard)).permutation(windowCount) : null;
    loadedEpoch = epoch;
    loadedSlot = slot;
    if (window > windowCount) {
      throw new IllegalArgumentException("position " + position() + " is past the " + windowCount + " windows of "
          + loadedFile);
    }
    if (windowCount == 0) {
      if (++emptyShardsInARow >= shards.size()) {
        throw new IllegalStateException("no shard of " + split + " holds a window of " + windowLength + " tokens"
            + (aligned ? "" : " (flat windows do not cross shards)"));
      }
    } else {
      emptyShardsInARow = 0;
    }
  }

  private void readShard(Path path) {
    loadedFile = path.toString();
    tokenCount = 0;
    documentCount = 0;
    try (ShardReader reader = ShardReader.open(path, conf)) {
      while (reader.nextDocument()) {
        int n = reader.length();
        int[] t = reader.tokens();
        if (vocabularySize > 0) {
          for (int i = 0; i < n; i++) {
            if (t[i] < 0 || t[i] >= vocabularySize) {
              throw new CorpusReadException(loadedFile, "token id " + t[i] + " in row " + reader.row()
                  + " is outside the vocabulary [0, " + vocabularySize + ")");
            }
          }
        }
        if (tokenCount + (long) n > Integer.MAX_VALUE - 8) {
          throw new CorpusReadException(loadedFile, "shard holds more than 2^31 tokens; write the corpus with more shards");
        }
        if (tokenCount + n > tokens.length) {
          tokens = Arrays.copyOf(tokens, (int) Math.min(Integer.MAX_VALUE - 8,
              Math.max(tokenCount + (long) n, 2L * tokens.length + 1024)));
        }
        if (aligned) {
          if (documentCount == documentStart.length) {
            documentStart = Arrays.copyOf(documentStart, 2 * documentCount + 64);
          }
          documentStart[documentCount++] = tokenCount;
        }
        System.arraycopy(t, 0, tokens, tokenCount, n);
        tokenCount += n;
      }
    }
  }

  /** Cuts each document into windows of at most T tokens; returns the number of windows. */
  private int alignWindows() {
    long count = 0;
    for (int d = 0; d < documentCount; d++) {
      int length = (d + 1 < documentCount ? documentStart[d + 1] : tokenCount) - documentStart[d];
      count += (length + windowLength - 1) / windowLength;
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new CorpusReadException(loadedFile, "shard gives more than 2^31 windows");
    }
    int n = (int) count;
    if (windowStart.length < n) {
      windowStart = new int[n];
      windowValid = new int[n];
    }
    int w = 0;
    for (int d = 0; d < documentCount; d++) {
      int end = d + 1 < documentCount ? documentStart[d + 1] : tokenCount;
      for (int s = documentStart[d]; s < end; s += windowLength) {
        windowStart[w] = s;
        windowValid[w] = Math.min(windowLength, end - s);
        w++;
      }
    }
    return n;
  }
}
