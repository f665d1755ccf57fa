package org.arbor.olmo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerIdsTest {
  @TempDir
  Path dir;

  @Test
  void ordinaryIdsAreTheModelVocabularyLessAddedTokens() throws IOException {
    // Like OLMo's: specials at 0 and 1, added tokens at the top (90-91), no ids beyond 91.
    StringBuilder vocab = new StringBuilder();
    for (int i = 0; i < 92; i++) {
      vocab.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":").append(i);
    }
    Path f = dir.resolve("tokenizer.json");
    Files.writeString(f, "{\"version\":\"1.0\",\"added_tokens\":[{\"id\":0,\"content\":\"<|endoftext|>\",\"special\":true},"
        + "{\"id\":1,\"content\":\"<|padding|>\",\"special\":true},{\"id\":90,\"content\":\"  \",\"special\":false},"
        + "{\"id\":91,\"content\":\"|||EMAIL|||\",\"special\":false}],\"model\":{\"type\":\"BPE\",\"vocab\":{" + vocab + "}}}");
    BitSet ordinary = TokenizerIds.ordinary(f);
    assertEquals(88, ordinary.cardinality());
    assertEquals(2, ordinary.nextSetBit(0));
    assertEquals(90, ordinary.nextClearBit(2));
    assertTrue(!ordinary.get(91) && !ordinary.get(100));
  }

  @Test
  void noFileMeansNoRestrictionAndABadFileIsNamed() throws IOException {
    assertNull(TokenizerIds.ordinary(dir.resolve("tokenizer.json")));
    Path f = dir.resolve("tokenizer.json");
    Files.writeString(f, "{\"model\":{\"type\":\"BPE\",\"vocab\":[1,2]}}");
    IOException e = assertThrows(IOException.class, () -> TokenizerIds.ordinary(f));
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("model.vocab"), e.getMessage());
  }
}
