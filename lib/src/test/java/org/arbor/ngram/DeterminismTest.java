package org.arbor.ngram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentSampler;
import org.junit.jupiter.api.Test;

/** Documents are pure functions of (process, seed, document id). */
class DeterminismTest {
  static void assertSameDocument(Document a, Document b) {
    assertArrayEquals(a.tokens(), b.tokens());
    assertArrayEquals(a.category(), b.category());
    assertArrayEquals(a.rank(), b.rank());
    assertArrayEquals(a.section(), b.section());
    assertArrayEquals(a.paragraph(), b.paragraph());
    assertArrayEquals(a.sentence(), b.sentence());
    assertArrayEquals(a.clause(), b.clause());
    assertArrayEquals(a.order(), b.order());
    assertEquals(Double.doubleToLongBits(a.logProb()), Double.doubleToLongBits(b.logProb()));
  }

  @Test
  void sameSeedAndIdGiveTheSameDocumentFromSeparateProcessesAndSamplers() {
    NgramProcess p1 = NgramTestSupport.preset();
    NgramProcess p2 = NgramTestSupport.preset();
    DocumentSampler s1 = p1.newSampler();
    DocumentSampler s2 = p2.newSampler();
    for (long id : new long[] {0, 1, 17, 123_456_789_012L, -5}) {
      assertSameDocument(s1.sample(31, id, 0), s2.sample(31, id, 0));
    }
  }

  /** A sampler's reused buffers and the process's table cache leave no trace between documents. */
  @Test
  void documentsDoNotDependOnWhatWasSampledBefore() {
    NgramProcess process = NgramTestSupport.preset();
    Document fresh = process.newSampler().sample(31, 7, 0);
    DocumentSampler busy = process.newSampler();
    busy.sample(31, 8, 0);
    busy.sample(32, 7, 0); // another seed: the process rebuilds its tables
    busy.sample(31, 9, 0);
    assertSameDocument(fresh, busy.sample(31, 7, 0));
    assertEquals(process.marginalLogProb(31, fresh.tokens()),
        process.marginalLogProb(31, fresh.tokens()));
  }

  @Test
  void differentIdsGiveDifferentStreams() {
    NgramProcess process = NgramTestSupport.preset();
    DocumentSampler sampler = process.newSampler();
    Set<String> seen = new HashSet<>();
    for (long id = 0; id < 200; id++) {
      Document d = sampler.sample(31, id, 0);
      // The first 20 tokens already differ between any two documents (probability of a clash
      // is far below 1e-10 at these entropies).
      String head = Arrays.toString(Arrays.copyOf(d.tokens(), 20));
      assertTrue(seen.add(head), "documents share their first 20 tokens: id " + id);
    }
  }

  @Test
  void differentSeedsGiveDifferentTables() {
    NgramProcess a = NgramTestSupport.preset();
    NgramProcess b = NgramTestSupport.preset();
    NgramProcess.Tables t1 = a.tables(1);
    NgramProcess.Tables t1again = b.tables(1);
    NgramProcess.Tables t2 = b.tables(2);
    int same = 0;
    for (int c = 0; c < a.spec().tableCount; c++) {
      assertEquals(t1.exponent(c), t1again.exponent(c));
      same += t1.exponent(c) == t2.exponent(c) ? 1 : 0;
    }
    assertEquals(t1.salt, t1again.salt);
    assertNotEquals(t1.salt, t2.salt);
    // Only tables clipped to the minimum exponent in both seeds can agree.
    int clipped = 0;
    for (int c = 0; c < a.spec().tableCount; c++) {
      clipped += t1.exponent(c) == a.spec().exponentMin ? 1 : 0;
    }
    assertTrue(same <= clipped, same + " equal exponents, " + clipped + " clipped");
    assertFalse(Arrays.equals(a.newSampler().sample(1, 0, 0).tokens(),
        a.newSampler().sample(2, 0, 0).tokens()));
  }

  @Test
  void repetitionsAreRejected() {
    NgramProcess process = NgramTestSupport.preset();
    assertEquals(1, process.repetitions());
    assertThrows(IllegalArgumentException.class, () -> process.newSampler().sample(1, 0, 1));
  }
}
