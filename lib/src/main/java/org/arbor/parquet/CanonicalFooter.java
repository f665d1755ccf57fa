package org.arbor.parquet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Comparator;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * An {@link OutputFile} that makes a Parquet file's footer the same bytes in every JVM.
 * parquet-mr collects each column chunk's encodings in a HashSet of enum constants, whose order
 * follows identity hash codes, so the footer's encoding lists (and the file's bytes) change from
 * run to run. From {@link #holdTail()} on (just before the writer's {@code end}) the bytes are held
 * back (by a writer that can say when: Arbor's shard writer), or all of them from the start (for
 * writers that cannot, such as parquet-avro's, on small files); on close the footer is parsed,
 * every encoding list sorted by its code and the footer re-serialised (same length: the lists
 * hold the same codes) before the held bytes are written.
 */
public final class CanonicalFooter implements OutputFile {
  private final OutputFile file;
  private final boolean holdAll;
  private Stream stream;

  /** Holds back the tail from {@link #holdTail()} on. */
  public CanonicalFooter(OutputFile file) {
    this(file, false);
  }

  /** holdAll: the whole file is held in memory until close (for writers that end on close). */
  public CanonicalFooter(OutputFile file, boolean holdAll) {
    this.file = file;
    this.holdAll = holdAll;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    return open(file.create(blockSizeHint));
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    return open(file.createOrOverwrite(blockSizeHint));
  }

  private PositionOutputStream open(PositionOutputStream out) {
    stream = new Stream(out);
    if (holdAll) {
      holdTail();
    }
    return stream;
  }

  @Override
  public boolean supportsBlockSize() {
    return file.supportsBlockSize();
  }

  @Override
  public long defaultBlockSize() {
    return file.defaultBlockSize();
  }

  @Override
  public String getPath() {
    return file.getPath();
  }

  /** Holds back everything written from now on (the indexes and the footer) until close. */
  public void holdTail() {
    stream.tail = new ByteArrayOutputStream();
  }

  /** The footer of a whole tail (... footer, 4-byte length, "PAR1") with sorted encoding lists. */
  public static byte[] canonical(byte[] tail) throws IOException {
    int n = tail.length;
    int length = (tail[n - 8] & 0xFF) | (tail[n - 7] & 0xFF) << 8 | (tail[n - 6] & 0xFF) << 16 | (tail[n - 5] & 0xFF) << 24;
    int start = n - 8 - length;
    if (start < 0) {
      throw new IOException("footer of " + length + " bytes does not fit in the " + n + " bytes held back");
    }
    FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(tail, start, length));
    for (RowGroup g : meta.getRow_groups()) {
      for (ColumnChunk c : g.getColumns()) {
        c.getMeta_data().getEncodings().sort(Comparator.comparingInt(Encoding::getValue));
      }
    }
    ByteArrayOutputStream footer = new ByteArrayOutputStream(length);
    Util.writeFileMetaData(meta, footer);
    if (footer.size() != length) {
      throw new IOException("re-serialised footer has " + footer.size() + " bytes, not " + length);
    }
    byte[] out = tail.clone();
    System.arraycopy(footer.toByteArray(), 0, out, start, length);
    return out;
  }

  private static final class Stream extends PositionOutputStream {
    private final PositionOutputStream out;
    private ByteArrayOutputStream tail;

    Stream(PositionOutputStream out) {
      this.out = out;
    }

    @Override
    public long getPos() throws IOException {
      return out.getPos() + (tail == null ? 0 : tail.size());
    }

    @Override
    public void write(int b) throws IOException {
      if (tail == null) {
        out.write(b);
      } else {
        tail.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (tail == null) {
        out.write(b, off, len);
      } else {
        tail.write(b, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      if (tail == null) {
        out.flush();
      }
    }

    @Override
    public void close() throws IOException {
      if (tail != null) {
        byte[] t = tail.toByteArray();
        tail = null;
        out.write(canonical(t));
      }
      out.close();
    }
  }
}
