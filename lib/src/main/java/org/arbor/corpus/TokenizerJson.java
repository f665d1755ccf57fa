package org.arbor.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Hugging Face tokenizer.json for a corpus vocabulary: a WordLevel model over whitespace-split
 * words, with the boundary and padding tokens registered as special added tokens, so
 * `tokenizers`, `transformers` and DJL's binding all map "t5 t300 [EOS]" to the corpus ids.
 */
public final class TokenizerJson {
  private TokenizerJson() {}

  public static String of(Vocabulary vocabulary, int firstSpecial) {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (int id = firstSpecial; id < vocabulary.size(); id++) {
      ObjectNode t = added.addObject();
      t.put("id", id);
      t.put("content", vocabulary.name(id));
      t.put("single_word", false);
      t.put("lstrip", false);
      t.put("rstrip", false);
      t.put("normalized", false);
      t.put("special", true);
    }
    root.putNull("normalizer");
    root.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
    root.putNull("post_processor");
    root.putNull("decoder");
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    ObjectNode vocab = model.putObject("vocab");
    for (int id = 0; id < vocabulary.size(); id++) {
      vocab.put(vocabulary.name(id), id);
    }
    model.put("unk_token", unknownToken(vocabulary));
    try {
      return json.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String unknownToken(Vocabulary v) {
    if (v.id("[UNK]") < 0) {
      throw new IllegalArgumentException("the vocabulary needs an [UNK] token for tokenizer.json");
    }
    return "[UNK]";
  }
}
