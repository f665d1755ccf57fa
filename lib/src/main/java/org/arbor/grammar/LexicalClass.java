package org.arbor.grammar;

import java.io.Serializable;

/**
 * One lexical class (S, V, O, C...): its member token ids in id order and how a slot of this class
 * draws a member. Ranked classes draw a Zipf rank and emit the member at that rank of the ranking in
 * force (the document's permutation, possibly re-ranked by a section); uniform classes draw a member
 * uniformly and carry no rank.
 */
public record LexicalClass(String name, int[] members, boolean uniform, double zipfExponent)
    implements Serializable {
  public int size() {
    return members.length;
  }
}
