package org.arbor.jobs.stats;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.arbor.config.ConfigNode;
import org.arbor.corpus.CorpusSpec;
import org.arbor.corpus.DocumentSource;
import org.arbor.corpus.Manifest;
import org.arbor.jobs.JobException;

/** Opens a finished corpus: its manifest and the process that generated it, rebuilt from the manifest. */
public final class CorpusReader {
  public final String dir;
  public final JsonNode manifest;
  public final DocumentSource process;
  public final long seed;

  public CorpusReader(Configuration conf, String dir) {
    this.dir = dir;
    Path m = new Path(dir, Manifest.FILE);
    String text;
    try {
      FileSystem fs = m.getFileSystem(conf);
      if (!fs.exists(m)) {
        throw new JobException(dir + ": not a finished corpus (no " + Manifest.FILE + ")");
      }
      try (InputStream in = fs.open(m)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new JobException(m + ": cannot read: " + e.getMessage(), e);
    }
    try {
      manifest = Manifest.read(text);
    } catch (IllegalArgumentException e) {
      throw new JobException(m + ": " + e.getMessage());
    }
    int version = manifest.path("schema_version").asInt(-1);
    if (version != Manifest.SCHEMA_VERSION) {
      throw new JobException(m + ": key 'schema_version': expected " + Manifest.SCHEMA_VERSION + ", got " + version);
    }
    seed = manifest.path("seed").asLong();
    // JSON is YAML, so the process is rebuilt by the same strict parser that read the preset.
    ConfigNode node = ConfigNode.parse(m + " (config.process)", new StringReader(manifest.path("config").path("process").toString()));
    process = CorpusSpec.process(node);
  }

  public String split(String name) {
    return new Path(dir, name).toString();
  }
}
