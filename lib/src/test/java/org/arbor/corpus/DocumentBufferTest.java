package org.arbor.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A buffer that holds only some columns keeps them through growth and leaves the others empty. */
class DocumentBufferTest {
  @Test
  void aBufferOfSomeColumnsGrowsOnlyThose() {
    int mask = DocumentBuffer.bit(DocumentBuffer.CATEGORY) | DocumentBuffer.bit(DocumentBuffer.ORDER);
    DocumentBuffer b = new DocumentBuffer(20, mask);
    assertEquals(20, b.column(DocumentBuffer.TOKENS).length); // tokens are always held
    assertEquals(20, b.column(DocumentBuffer.ORDER).length);
    assertEquals(0, b.column(DocumentBuffer.RANK).length);
    for (int round = 0; round < 3; round++) { // 3 x 15 tokens: grows past 20, then past 40
      b.reserve(15);
      int at = b.length();
      for (int i = 0; i < 15; i++) {
        b.column(DocumentBuffer.TOKENS)[at + i] = at + i;
        b.column(DocumentBuffer.CATEGORY)[at + i] = -(at + i);
        b.column(DocumentBuffer.ORDER)[at + i] = 2 * (at + i);
      }
      b.advance(15);
    }
    assertEquals(45, b.length());
    int[] want = new int[45];
    Arrays.setAll(want, i -> i);
    assertArrayEquals(want, Arrays.copyOf(b.column(DocumentBuffer.TOKENS), 45));
    Arrays.setAll(want, i -> -i);
    assertArrayEquals(want, Arrays.copyOf(b.column(DocumentBuffer.CATEGORY), 45));
    Arrays.setAll(want, i -> 2 * i);
    assertArrayEquals(want, Arrays.copyOf(b.column(DocumentBuffer.ORDER), 45));
    for (int c : new int[] {DocumentBuffer.RANK, DocumentBuffer.SECTION, DocumentBuffer.PARAGRAPH,
        DocumentBuffer.SENTENCE, DocumentBuffer.CLAUSE}) {
      assertEquals(0, b.column(c).length, "column " + c);
    }
  }
}
