package org.arbor.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import org.arbor.config.ConfigNode;
import org.arbor.corpus.CorpusReadException;
import org.arbor.corpus.CorpusSpec;
import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentSampler;
import org.arbor.corpus.DocumentSource;
import org.arbor.corpus.Manifest;

/**
 * The corpus a model was trained on, as the probes need it: its directory (held-out shards), its
 * generating process rebuilt from manifest.json, the corpus seed and the held-out base documents.
 * Documents are pure functions of (process, seed, base document, repetition), so a probe that needs
 * the latent annotations of held-out documents re-samples them instead of reading them back.
 *
 * @param directory the corpus directory (may be null for a corpus described only by its process)
 * @param process the generating process
 * @param seed the corpus seed
 * @param testBaseDocuments held-out base documents: ids [0, testBaseDocuments)
 */
public record ProbeCorpus(Path directory, DocumentSource process, long seed, long testBaseDocuments) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads a finished corpus directory's manifest.json. */
  public static ProbeCorpus open(Path directory) {
    Path file = directory.resolve(Manifest.FILE);
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new CorpusReadException(file.toString(), "cannot read: " + e.getMessage(), e);
    }
    JsonNode process = root.path("config").path("process");
    if (!process.isObject()) {
      throw new CorpusReadException(file.toString(), "field 'config.process' is missing");
    }
    // JSON is YAML: the process config goes back through the same strict reader as its file did.
    DocumentSource source = CorpusSpec.process(ConfigNode.parse(file + "#config.process",
        new StringReader(process.toString())));
    long testBase = root.path("splits").path("test").path("base_documents").asLong(-1);
    if (testBase < 0 || !root.path("seed").canConvertToLong()) {
      throw new CorpusReadException(file.toString(), "fields 'seed' and 'splits.test.base_documents' are required");
    }
    return new ProbeCorpus(directory, source, root.path("seed").asLong(), testBase);
  }

  /** Path of a split's shards. */
  public Path split(String name) {
    return directory.resolve(name);
  }

  /** A new sampler of held-out documents (one per thread). */
  public HeldOut heldOut() {
    return new HeldOut(process.newSampler());
  }

  /** Held-out documents by index, repetition 0, with all their annotations. */
  public final class HeldOut {
    private final DocumentSampler sampler;

    private HeldOut(DocumentSampler sampler) {
      this.sampler = sampler;
    }

    /** The i-th held-out base document (i modulo the held-out count). */
    public Document document(long i) {
      return sampler.sample(seed, Math.floorMod(i, testBaseDocuments), 0);
    }
  }
}
