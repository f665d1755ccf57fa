package org.arbor.probe.fv;

/** Token ids of one prompt and the set of correct next tokens (sorted). */
public record Prompt(int[] tokens, int[] answer) {
  public int length() {
    return tokens.length;
  }
}
