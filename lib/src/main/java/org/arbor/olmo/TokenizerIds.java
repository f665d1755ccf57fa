package org.arbor.olmo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Iterator;

/**
 * The ordinary token ids of a Hugging Face tokenizer.json: the ids of its model's vocabulary that
 * are not added tokens (specials such as end-of-text and padding, or OLMo's whitespace runs and
 * placeholders). A checkpoint's embedding is often larger than its tokenizer (OLMo-1B: 50304 rows
 * for 50280 tokens); the rows beyond are padding that was never trained, and probes that draw
 * tokens from an id range must stay off them.
 */
public final class TokenizerIds {
  private TokenizerIds() {}

  /** The ordinary ids of the tokenizer.json at file, or null when there is no such file. */
  public static BitSet ordinary(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + ": not a readable tokenizer.json (" + e.getMessage() + ")", e);
    }
    JsonNode vocab = root.path("model").path("vocab");
    if (!vocab.isObject()) {
      throw new IOException(file + ": model.vocab is not an object of token -> id");
    }
    BitSet ids = new BitSet();
    for (Iterator<JsonNode> it = vocab.elements(); it.hasNext(); ) {
      JsonNode id = it.next();
      if (!id.canConvertToInt() || id.asInt() < 0) {
        throw new IOException(file + ": model.vocab holds a non-id value " + id);
      }
      ids.set(id.asInt());
    }
    for (JsonNode t : root.path("added_tokens")) {
      if (t.path("id").canConvertToInt()) {
        ids.clear(t.path("id").asInt());
      }
    }
    return ids;
  }
}
