package org.arbor.jobs.corpus;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.arbor.corpus.Manifest;
import org.arbor.jobs.JobException;

/**
 * Write-then-rename output on any Hadoop file system: everything is written under a hidden
 * temporary sibling, and the finished directory is moved into place in one rename. A killed job
 * leaves only the hidden temporary; an existing corpus is replaced only with --overwrite, and a
 * directory that holds anything else is never touched.
 */
public final class OutputDirectory {
  private final FileSystem fs;
  private final Path target;
  private final Path temporary;
  private final boolean replace;

  private OutputDirectory(FileSystem fs, Path target, boolean replace) {
    this.fs = fs;
    this.target = target;
    this.replace = replace;
    this.temporary = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
  }

  /** Checks the target and reserves a temporary; marker names the file that proves a finished output. */
  public static OutputDirectory begin(Configuration conf, String out, boolean overwrite, String marker) {
    try {
      Path target = new Path(out);
      FileSystem fs = target.getFileSystem(conf);
      target = fs.makeQualified(target);
      boolean replace = false;
      if (fs.exists(target)) {
        FileStatus[] children = fs.listStatus(target);
        if (children.length > 0) {
          boolean finished = fs.exists(new Path(target, marker));
          if (!finished) {
            throw new JobException(out + ": directory exists and is not a finished Arbor output (no "
                + marker + "); refusing to touch it");
          }
          if (!overwrite) {
            throw new JobException(out + ": already holds a finished output; pass --overwrite to replace it");
          }
          replace = true;
        } else {
          fs.delete(target, false); // an empty directory holds nothing to lose
        }
      }
      OutputDirectory d = new OutputDirectory(fs, target, replace);
      fs.mkdirs(d.temporary);
      return d;
    } catch (IOException e) {
      throw new JobException(out + ": cannot prepare output: " + e.getMessage(), e);
    }
  }

  /** Where to write a part of the output before the commit. */
  public String path(String child) {
    return new Path(temporary, child).toString();
  }

  public void writeText(String child, String text) {
    try (OutputStream o = fs.create(new Path(temporary, child), false)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new JobException(target + ": cannot write " + child + ": " + e.getMessage(), e);
    }
  }

  /** Moves the finished output into place (replacing an older finished one if allowed). */
  public void commit() {
    try {
      Path old = null;
      if (replace) {
        old = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
        if (!fs.rename(target, old)) {
          throw new IOException("cannot move the old output aside");
        }
      }
      if (!fs.rename(temporary, target)) {
        if (old != null) {
          fs.rename(old, target);
        }
        throw new IOException("cannot rename " + temporary + " to " + target);
      }
      if (old != null) {
        fs.delete(old, true);
      }
    } catch (IOException e) {
      throw new JobException(target + ": commit failed: " + e.getMessage(), e);
    }
  }

  /** Removes the temporary after a failure. */
  public void abort() {
    try {
      fs.delete(temporary, true);
    } catch (IOException ignored) {
      // best effort: the temporary is hidden and never mistaken for output
    }
  }

  public static boolean isFinished(Configuration conf, String dir) {
    try {
      Path p = new Path(dir, Manifest.FILE);
      return p.getFileSystem(conf).exists(p);
    } catch (IOException e) {
      return false;
    }
  }
}
