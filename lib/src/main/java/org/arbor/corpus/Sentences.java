package org.arbor.corpus;

/**
 * The sentences of a document row: runs of tokens sharing (section, paragraph, sentence) indices,
 * boundary token included; tokens outside any sentence (sentence index -1: paragraph and section
 * markers) belong to none. N-gram rows have no section or paragraph arrays.
 */
public final class Sentences {
  /** Receives one sentence as the token range [from, to). */
  public interface Visitor {
    void sentence(int from, int to);
  }

  private Sentences() {}

  public static void forEach(short[] section, short[] paragraph, short[] sentence, Visitor visitor) {
    int n = sentence.length;
    int start = 0;
    for (int i = 0; i <= n; i++) {
      boolean end = i == n || sentence[i] != sentence[start]
          || (section.length > 0 && (section[i] != section[start] || paragraph[i] != paragraph[start]));
      if (!end) {
        continue;
      }
      if (i > start && sentence[start] >= 0) {
        visitor.sentence(start, i);
      }
      start = i;
    }
  }
}
