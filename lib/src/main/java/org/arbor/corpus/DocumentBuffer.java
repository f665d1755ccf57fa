package org.arbor.corpus;

import java.util.Arrays;

/** A growable, reusable per-token buffer a sampler writes into; {@link #build} copies it out. */
public final class DocumentBuffer {
  private int n;
  private int[] tokens = new int[256];
  private short[] category = new short[256];
  private int[] rank = new int[256];
  private short[] section = new short[256];
  private short[] paragraph = new short[256];
  private short[] sentence = new short[256];
  private short[] clause = new short[256];
  private short[] order = new short[256];

  public void clear() {
    n = 0;
  }

  public int length() {
    return n;
  }

  public int token(int i) {
    return tokens[i];
  }

  /** Appends a token and its annotations. */
  public void add(int token, int cat, int rk, int sec, int par, int sen, int cla, int ord) {
    if (n == tokens.length) {
      grow();
    }
    tokens[n] = token;
    category[n] = (short) cat;
    rank[n] = rk;
    section[n] = (short) sec;
    paragraph[n] = (short) par;
    sentence[n] = (short) sen;
    clause[n] = (short) cla;
    order[n] = (short) ord;
    n++;
  }

  private void grow() {
    int c = tokens.length * 2;
    tokens = Arrays.copyOf(tokens, c);
    category = Arrays.copyOf(category, c);
    rank = Arrays.copyOf(rank, c);
    section = Arrays.copyOf(section, c);
    paragraph = Arrays.copyOf(paragraph, c);
    sentence = Arrays.copyOf(sentence, c);
    clause = Arrays.copyOf(clause, c);
    order = Arrays.copyOf(order, c);
  }

  /** Copies the buffer into a document; hierarchy and order arrays only where the process has them. */
  public Document build(double logProb, boolean hierarchy, boolean orders) {
    short[] none = new short[0];
    return new Document(
        Arrays.copyOf(tokens, n),
        Arrays.copyOf(category, n),
        hierarchy ? Arrays.copyOf(rank, n) : new int[0],
        hierarchy ? Arrays.copyOf(section, n) : none,
        hierarchy ? Arrays.copyOf(paragraph, n) : none,
        Arrays.copyOf(sentence, n),
        hierarchy ? Arrays.copyOf(clause, n) : none,
        orders ? Arrays.copyOf(order, n) : none,
        logProb);
  }
}
