package org.arbor.jobs.corpus;

import java.io.Serializable;
import org.arbor.corpus.Document;

/**
 * One corpus row between sampling and its shard: what the shuffle moves for shuffled placement and
 * what {@link ShardWriter} writes (column names and order on disk are its schema's).
 */
public final class CorpusRow implements Serializable {
  private static final long serialVersionUID = 1L;
  private long docId;
  private long baseDocId;
  private int repetition;
  private String split;
  private long orderKey;
  private int numTokens;
  private double logProb;
  private int[] tokens;
  private short[] category;
  private int[] rank;
  private short[] section;
  private short[] paragraph;
  private short[] sentence;
  private short[] clause;
  private short[] ngramOrder;

  public CorpusRow() {}

  public CorpusRow(long docId, long baseDocId, int repetition, String split, long orderKey, Document d) {
    this.docId = docId;
    this.baseDocId = baseDocId;
    this.repetition = repetition;
    this.split = split;
    this.orderKey = orderKey;
    this.numTokens = d.length();
    this.logProb = d.logProb();
    this.tokens = d.tokens();
    this.category = d.category();
    this.rank = d.rank();
    this.section = d.section();
    this.paragraph = d.paragraph();
    this.sentence = d.sentence();
    this.clause = d.clause();
    this.ngramOrder = d.order();
  }

  public long getDocId() { return docId; }
  public void setDocId(long v) { docId = v; }
  public long getBaseDocId() { return baseDocId; }
  public void setBaseDocId(long v) { baseDocId = v; }
  public int getRepetition() { return repetition; }
  public void setRepetition(int v) { repetition = v; }
  public String getSplit() { return split; }
  public void setSplit(String v) { split = v; }
  public long getOrderKey() { return orderKey; }
  public void setOrderKey(long v) { orderKey = v; }
  public int getNumTokens() { return numTokens; }
  public void setNumTokens(int v) { numTokens = v; }
  public double getLogProb() { return logProb; }
  public void setLogProb(double v) { logProb = v; }
  public int[] getTokens() { return tokens; }
  public void setTokens(int[] v) { tokens = v; }
  public short[] getCategory() { return category; }
  public void setCategory(short[] v) { category = v; }
  public int[] getRank() { return rank; }
  public void setRank(int[] v) { rank = v; }
  public short[] getSection() { return section; }
  public void setSection(short[] v) { section = v; }
  public short[] getParagraph() { return paragraph; }
  public void setParagraph(short[] v) { paragraph = v; }
  public short[] getSentence() { return sentence; }
  public void setSentence(short[] v) { sentence = v; }
  public short[] getClause() { return clause; }
  public void setClause(short[] v) { clause = v; }
  public short[] getNgramOrder() { return ngramOrder; }
  public void setNgramOrder(short[] v) { ngramOrder = v; }
}
