package org.arbor.jobs.corpus;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet output file on a Hadoop file system with a 1 MB write buffer. parquet-mr's
 * HadoopOutputFile asks for 4 KB, and a checksummed file system (the local one) hands its data on
 * in 4.5 KB pieces, so every piece became a write system call: 2-4 ns per PCFG token, a fifth of
 * writing it, on the development machine. Everything else is HadoopOutputFile's.
 */
final class BufferedOutputFile implements OutputFile {
  static final int BUFFER = 1 << 20;
  private final HadoopOutputFile file;
  private final FileSystem fs;
  private final Path path;

  BufferedOutputFile(Path path, Configuration conf) throws IOException {
    this.file = HadoopOutputFile.fromPath(path, conf);
    this.fs = path.getFileSystem(conf);
    this.path = path;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    return open(false, blockSizeHint);
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    return open(true, blockSizeHint);
  }

  private PositionOutputStream open(boolean overwrite, long blockSizeHint) throws IOException {
    return HadoopStreams.wrap(fs.create(path, overwrite, BUFFER, fs.getDefaultReplication(path),
        Math.max(fs.getDefaultBlockSize(path), blockSizeHint)));
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
}
