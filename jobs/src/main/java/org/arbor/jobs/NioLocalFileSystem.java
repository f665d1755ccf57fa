package org.arbor.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's checksummed local file system ({@code file:}), except that permissions are set through
 * java.nio. Without Hadoop's native library (the usual case on a laptop) the stock one forks
 * {@code chmod} for every file and directory it creates: 22-26 ms per shard (the shard and its
 * checksum file) and 9-12 ms per directory on the development machine, a fixed cost that came
 * to most of a small corpus's generating time. Same files, same modes, same checksums.
 */
public final class NioLocalFileSystem extends LocalFileSystem {
  public NioLocalFileSystem() {
    super(new Raw());
  }

  /** The raw (unchecksummed) layer whose permission calls the checksummed one goes through. */
  static final class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      if (permission.getStickyBit()) { // java.nio cannot set it
        super.setPermission(p, permission);
        return;
      }
      try {
        Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission));
      } catch (UnsupportedOperationException e) { // not a POSIX file system
        super.setPermission(p, permission);
      }
    }
  }

  /** The nine rwx bits of a Hadoop permission (no sticky bit) as java.nio's set: both spell them "rwxr-x---". */
  static Set<PosixFilePermission> posix(FsPermission permission) {
    return PosixFilePermissions.fromString(permission.toString());
  }
}
