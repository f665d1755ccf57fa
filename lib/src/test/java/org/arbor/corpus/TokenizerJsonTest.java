package org.arbor.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tokenizer.json loads in DJL's Hugging Face binding and maps names to corpus ids and back. */
class TokenizerJsonTest {
  @Test
  void roundTripsThroughDjlsHuggingFaceTokenizer(@TempDir Path dir) throws Exception {
    Vocabulary v = new Vocabulary("t", 0, 1000, List.of("[EOS]", "[UNK]", "[PAD]"));
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, TokenizerJson.of(v, 1000));
    try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(file, Map.of("addSpecialTokens", "false"))) {
      long[] ids = {5, 300, 999, 1000, 0, 17, 1000};
      StringBuilder text = new StringBuilder();
      for (long id : ids) {
        text.append(text.length() == 0 ? "" : " ").append(v.name((int) id));
      }
      Encoding e = tok.encode(text.toString());
      assertArrayEquals(ids, e.getIds());
      assertEquals(text.toString(), tok.decode(ids, false));
      // Unknown words map to [UNK] rather than failing.
      assertArrayEquals(new long[] {1001, 7}, tok.encode("hello t7").getIds());
    }
  }

  @Test
  void ngramNamesStartAtOne(@TempDir Path dir) throws Exception {
    Vocabulary v = new Vocabulary("w", 1, 999, List.of("[EOS]", "[UNK]", "[PAD]"));
    assertEquals("w1", v.name(0));
    assertEquals(999, v.id("[EOS]"));
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, TokenizerJson.of(v, 999));
    try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(file, Map.of("addSpecialTokens", "false"))) {
      assertArrayEquals(new long[] {0, 998, 999}, tok.encode("w1 w999 [EOS]").getIds());
    }
  }
}
