package org.arbor.jobs.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The radix sort agrees with Arrays.sort on signed keys and moves the ids along. */
class StreamOrderTest {
  @Test
  void sortsSignedKeysAndCarriesIds() {
    Random r = new Random(3);
    int n = 5000;
    long[] keys = new long[n];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = i % 7 == 0 ? (i % 2 == 0 ? Long.MIN_VALUE + i : Long.MAX_VALUE - i) : r.nextLong();
      ids[i] = ~keys[i]; // an id the key determines, to check that they travel together
    }
    long[] expected = keys.clone();
    Arrays.sort(expected);
    StreamOrder.sort(keys, ids);
    assertArrayEquals(expected, keys);
    for (int i = 0; i < n; i++) {
      keys[i] = ~ids[i];
    }
    assertArrayEquals(expected, keys);
  }
}
