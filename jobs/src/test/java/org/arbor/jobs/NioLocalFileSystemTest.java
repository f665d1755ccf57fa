package org.arbor.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local file system Arbor's sessions use: the stock one's files, modes and checksums. */
class NioLocalFileSystemTest {
  @TempDir
  java.nio.file.Path dir;

  /** A Hadoop configuration with Arbor's session settings, as Spark hands it to the file systems. */
  private static Configuration arborConf(String umask) {
    Configuration conf = Sessions.hadoopConfiguration();
    conf.set("fs.permissions.umask-mode", umask);
    return conf;
  }

  @Test
  void permissionBitsMapToPosix() {
    assertEquals(PosixFilePermissions.fromString("rw-r-----"), NioLocalFileSystem.posix(new FsPermission((short) 0640)));
    assertEquals(PosixFilePermissions.fromString("rwxr-x--x"), NioLocalFileSystem.posix(new FsPermission((short) 0751)));
    assertEquals(PosixFilePermissions.fromString("---------"), NioLocalFileSystem.posix(new FsPermission((short) 0)));
  }

  @Test
  void filesAndDirectoriesGetTheUmaskedModesAndChecksums() throws Exception {
    FileSystem fs = new Path(dir.toUri()).getFileSystem(arborConf("027"));
    assertEquals(NioLocalFileSystem.class, fs.getClass());
    Path sub = new Path(dir.resolve("a/b").toUri());
    assertTrue(fs.mkdirs(sub));
    assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b"))));
    assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a"))));
    Path file = new Path(sub, "x.txt");
    try (OutputStream o = fs.create(file, false)) {
      o.write("hello".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b/x.txt"))));
    assertTrue(Files.exists(dir.resolve("a/b/.x.txt.crc")), "checksum file");
    fs.setPermission(file, new FsPermission((short) 0600));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b/x.txt"))));
    try (FSDataInputStream in = fs.open(file)) {
      assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    // A stock local file system reads it, verifying its checksum, and catches a change.
    org.apache.hadoop.fs.LocalFileSystem stock = new org.apache.hadoop.fs.LocalFileSystem();
    stock.initialize(dir.toUri(), new Configuration());
    try (FSDataInputStream in = stock.open(file)) {
      assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    Files.write(dir.resolve("a/b/x.txt"), "jello".getBytes(StandardCharsets.UTF_8));
    org.junit.jupiter.api.Assertions.assertThrows(org.apache.hadoop.fs.ChecksumException.class, () -> {
      try (FSDataInputStream in = stock.open(file)) {
        in.readAllBytes();
      }
    });
  }
}
