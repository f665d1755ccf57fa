package org.arbor.corpus;

/**
 * A corpus file or directory that cannot be read as one: missing, empty, not Parquet, truncated,
 * corrupt, or without the expected column. The message starts with the file's path and says what is
 * wrong with it; {@link #file()} gives the path alone.
 */
public final class CorpusReadException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String file;

  public CorpusReadException(String file, String problem) {
    this(file, problem, null);
  }

  public CorpusReadException(String file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The path of the file or directory at fault. */
  public String file() {
    return file;
  }
}
