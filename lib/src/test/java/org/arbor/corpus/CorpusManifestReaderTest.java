package org.arbor.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CorpusManifest reads what training needs from manifest.json and names the file in every error. */
class CorpusManifestReaderTest {
  private static final String MANIFEST = """
      {
        "schema_version" : 1,
        "name" : "quick",
        "kind" : "pcfg",
        "seed" : 7,
        "vocabulary_size" : 1003,
        "categories" : [ "S", "EOS" ],
        "splits" : {
          "train" : { "base_documents" : 90, "documents" : 180, "tokens" : 123456, "shards" : 4,
                      "log_prob_sum" : -1.5, "entropy_floor_nats_per_token" : 3.9 },
          "test" : { "base_documents" : 10, "documents" : 10, "tokens" : 7890, "shards" : 1,
                     "log_prob_sum" : -1.0, "entropy_floor_nats_per_token" : 3.9 }
        },
        "config" : { }
      }
      """;

  private static Path corpus(Path dir, String manifest) throws Exception {
    Files.writeString(dir.resolve("manifest.json"), manifest);
    return dir;
  }

  @Test
  void readsVersionKindVocabularyAndSplits(@TempDir Path dir) throws Exception {
    CorpusManifest m = CorpusManifest.read(corpus(dir, MANIFEST));
    assertEquals(1, m.schemaVersion());
    assertEquals("pcfg", m.kind());
    assertEquals("quick", m.name());
    assertEquals(1003, m.vocabularySize());
    assertEquals(List.of("train", "test"), List.copyOf(m.splits().keySet()));
    assertEquals(new CorpusManifest.Split(180, 123456, 4), m.split("train"));
    assertEquals(7890, m.tokens("test"));
    assertEquals(new org.apache.hadoop.fs.Path(dir.toUri().toString(), "test"), m.splitPath("test"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.split("valid"));
    assertTrue(e.getMessage().contains("no split 'valid'") && e.getMessage().contains("manifest.json"), e.getMessage());
  }

  private static String error(Path dir, String manifest) throws Exception {
    Path c = corpus(dir, manifest);
    CorpusReadException e = assertThrows(CorpusReadException.class, () -> CorpusManifest.read(c));
    assertTrue(e.getMessage().contains(dir.resolve("manifest.json").toString()), e.getMessage());
    return e.getMessage();
  }

  @Test
  void aMissingManifestMeansAnUnfinishedCorpus(@TempDir Path dir) {
    CorpusReadException e = assertThrows(CorpusReadException.class, () -> CorpusManifest.read(dir));
    assertTrue(e.getMessage().contains(dir.resolve("manifest.json").toString())
        && e.getMessage().contains("not a finished corpus"), e.getMessage());
  }

  @Test
  void badJsonAndBadFieldsAreNamed(@TempDir Path dir) throws Exception {
    assertTrue(error(dir, "{ \"schema_version\" : 1,\n \"kind\" : }").contains("not valid JSON"));
    assertTrue(error(dir, "[1, 2]").contains("not a JSON object"));
    assertTrue(error(dir, MANIFEST.replace("\"schema_version\" : 1", "\"schema_version\" : 2"))
        .contains("schema_version 2 is not supported"));
    assertTrue(error(dir, MANIFEST.replace("\"vocabulary_size\" : 1003", "\"vocabulary_size\" : \"many\""))
        .contains("field 'vocabulary_size' is missing or not an integer"));
    assertTrue(error(dir, MANIFEST.replace("\"kind\" : \"pcfg\",", "")).contains("field 'kind' is missing"));
    assertTrue(error(dir, MANIFEST.replace("\"tokens\" : 7890", "\"tokens\" : -5"))
        .contains("field 'splits.test.tokens' is -5"));
    assertTrue(error(dir, MANIFEST.replace("\"tokens\" : 123456,", "")).contains("field 'splits.train.tokens' is missing"));
  }
}
