package org.arbor.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WindowStream: flat and aligned windows, shuffling by (seed, epoch, shard), and exact resume. */
class WindowStreamTest {
  private static final int PAD = 99;

  /** A window and its valid length, compared by content. */
  private record W(List<Integer> tokens, int valid) {
    static W of(int[] window, int valid) {
      return new W(Arrays.stream(window).boxed().toList(), valid);
    }

    static W of(int valid, int... tokens) {
      return new W(Arrays.stream(tokens).boxed().toList(), valid);
    }
  }

  /** Three shards: 10 tokens, 8 tokens (with an empty document), 2 tokens. */
  private static Path handCorpus(Path dir) throws Exception {
    Path split = dir.resolve("train");
    ParquetShards.writeInts(split.resolve(ParquetShards.part(0)),
        List.of(new int[] {1, 2, 3}, new int[] {4, 5}, new int[] {6, 7, 8, 9, 10}));
    ParquetShards.writeInts(split.resolve(ParquetShards.part(1)),
        List.of(new int[] {11, 12, 13, 14, 15, 16, 17}, new int[0], new int[] {18}));
    ParquetShards.writeInts(split.resolve(ParquetShards.part(2)), List.of(new int[] {19, 20}));
    return split;
  }

  /** Five shards of random documents (lengths 0..40, some shards with many rows). */
  private static Path randomCorpus(Path dir) throws Exception {
    Path split = dir.resolve("train");
    Random r = new Random(11);
    int next = 0;
    for (int s = 0; s < 5; s++) {
      List<int[]> docs = new ArrayList<>();
      for (int d = 0, n = 5 + r.nextInt(40); d < n; d++) {
        int[] doc = new int[r.nextInt(41)];
        for (int i = 0; i < doc.length; i++) {
          doc[i] = next++;
        }
        docs.add(doc);
      }
      ParquetShards.writeInts(split.resolve(ParquetShards.part(s)), docs);
    }
    return split;
  }

  private static List<W> take(WindowStream stream, int n) {
    List<W> out = new ArrayList<>();
    int[] window = new int[stream.windowLength()];
    for (int i = 0; i < n; i++) {
      int valid = stream.next(window);
      assertTrue(valid > 0, "stream ended early");
      out.add(W.of(window, valid));
    }
    return out;
  }

  /** Every window until the stream ends. */
  private static List<W> drain(WindowStream stream) {
    List<W> out = new ArrayList<>();
    int[] window = new int[stream.windowLength()];
    for (int valid; (valid = stream.next(window)) >= 0;) {
      out.add(W.of(window, valid));
    }
    return out;
  }

  @Test
  void flatWindowsCutEachShardsTokenStreamAndDropTheRest(@TempDir Path dir) throws Exception {
    Path split = handCorpus(dir);
    // shard 0: 1..10 -> [1..4] [5..8], 9 10 dropped; shard 1: 11..18 -> [11..14] [15..18]; shard 2: too short.
    List<W> epoch = List.of(W.of(4, 1, 2, 3, 4), W.of(4, 5, 6, 7, 8), W.of(4, 11, 12, 13, 14), W.of(4, 15, 16, 17, 18));
    assertEquals(epoch, drain(WindowStream.builder(split, 4).shuffle(false).epochs(1).build()));

    WindowStream stream = WindowStream.builder(split, 4).shuffle(false).build();
    assertEquals(WindowPosition.START, stream.position());
    List<W> two = take(stream, 8);
    assertEquals(epoch, two.subList(0, 4));
    assertEquals(epoch, two.subList(4, 8));
    // Two windows into epoch 2: window 0 of shard 1 is next.
    take(stream, 2);
    assertEquals(new WindowPosition(2, 1, 0), stream.position());
  }

  @Test
  void flatWindowsOfOneShardAreTheConcatenationCutIntoPieces(@TempDir Path dir) throws Exception {
    Random r = new Random(3);
    List<int[]> docs = new ArrayList<>();
    List<Integer> all = new ArrayList<>();
    for (int d = 0; d < 300; d++) {
      int[] doc = r.ints(r.nextInt(60), 0, 1000).toArray();
      docs.add(doc);
      Arrays.stream(doc).forEach(all::add);
    }
    Path split = dir.resolve("test");
    ParquetShards.writeInts(split.resolve(ParquetShards.part(0)), docs, ParquetShards.options().smallGroups());
    int t = 37;
    List<W> expected = new ArrayList<>();
    for (int at = 0; at + t <= all.size(); at += t) {
      expected.add(new W(all.subList(at, at + t), t));
    }
    assertEquals(expected, drain(WindowStream.builder(split, t).shuffle(false).epochs(1).build()));
  }

  @Test
  void alignedWindowsStartAtDocumentsAndArePadded(@TempDir Path dir) throws Exception {
    Path split = handCorpus(dir);
    List<W> expected = List.of(
        W.of(3, 1, 2, 3, PAD), W.of(2, 4, 5, PAD, PAD), W.of(4, 6, 7, 8, 9), W.of(1, 10, PAD, PAD, PAD),
        W.of(4, 11, 12, 13, 14), W.of(3, 15, 16, 17, PAD), W.of(1, 18, PAD, PAD, PAD),
        W.of(2, 19, 20, PAD, PAD));
    WindowStream stream = WindowStream.builder(split, 4).aligned(true).padId(PAD).shuffle(false).epochs(2).build();
    List<W> got = drain(stream);
    assertEquals(expected, got.subList(0, 8));
    assertEquals(expected, got.subList(8, 16));
    assertEquals(16, got.size());
    assertEquals(new WindowPosition(2, 0, 0), stream.position());
  }

  @Test
  void shuffledEpochsArePermutationsDrawnFromSeedAndEpoch(@TempDir Path dir) throws Exception {
    Path split = randomCorpus(dir);
    for (boolean aligned : new boolean[] {false, true}) {
      UnaryOperator<WindowStream.Builder> o = b -> b.aligned(aligned).padId(-1);
      List<W> plain = drain(o.apply(WindowStream.builder(split, 8).shuffle(false).epochs(1)).build());
      int n = plain.size();
      assertTrue(n > 50, "windows: " + n);
      List<W> seed1 = drain(o.apply(WindowStream.builder(split, 8).seed(1).epochs(3)).build());
      List<W> seed1Again = drain(o.apply(WindowStream.builder(split, 8).seed(1).epochs(3)).build());
      List<W> seed2 = drain(o.apply(WindowStream.builder(split, 8).seed(2).epochs(1)).build());
      assertEquals(seed1, seed1Again);
      assertEquals(3 * n, seed1.size());
      List<List<W>> epochs = List.of(seed1.subList(0, n), seed1.subList(n, 2 * n), seed1.subList(2 * n, 3 * n), seed2);
      for (List<W> epoch : epochs) {
        assertEquals(sorted(plain), sorted(epoch));
        assertNotEquals(plain, epoch);
      }
      assertNotEquals(epochs.get(0), epochs.get(1));
      assertNotEquals(epochs.get(1), epochs.get(2));
      assertNotEquals(epochs.get(0), epochs.get(3));
    }
  }

  private static List<String> sorted(List<W> windows) {
    return windows.stream().map(W::toString).sorted().toList();
  }

  @Test
  void aShuffledEpochVisitsEachShardsWindowsTogether(@TempDir Path dir) throws Exception {
    Path split = randomCorpus(dir);
    List<W> epoch = drain(WindowStream.builder(split, 8).seed(5).epochs(1).build());
    // Token ids grow through the shards in name order, so a window's first token tells its shard.
    List<Integer> firstTokenOfShard = new ArrayList<>();
    for (var shard : ShardReader.listShards(new org.apache.hadoop.fs.Path(split.toUri()),
        new org.apache.hadoop.conf.Configuration())) {
      try (ShardReader r = ShardReader.open(shard, new org.apache.hadoop.conf.Configuration())) {
        while (r.nextDocument() && r.length() == 0) {
          // skip empty documents
        }
        firstTokenOfShard.add(r.tokens()[0]);
      }
    }
    List<Integer> shardSequence = new ArrayList<>();
    for (W w : epoch) {
      int first = w.tokens().get(0);
      int shard = 0;
      while (shard + 1 < firstTokenOfShard.size() && firstTokenOfShard.get(shard + 1) <= first) {
        shard++;
      }
      if (shardSequence.isEmpty() || shardSequence.get(shardSequence.size() - 1) != shard) {
        shardSequence.add(shard);
      }
    }
    assertEquals(5, shardSequence.size(), "each shard once, in one run: " + shardSequence);
    assertEquals(5, shardSequence.stream().distinct().count());
    assertNotEquals(List.of(0, 1, 2, 3, 4), shardSequence);
  }

  @Test
  void aStreamOpenedAtAPositionContinuesExactly(@TempDir Path dir) throws Exception {
    Path split = randomCorpus(dir);
    for (boolean aligned : new boolean[] {false, true}) {
      for (boolean shuffle : new boolean[] {true, false}) {
        UnaryOperator<WindowStream.Builder> o = b -> b.aligned(aligned).shuffle(shuffle).seed(42);
        int n = drain(o.apply(WindowStream.builder(split, 8).epochs(1)).build()).size();
        WindowStream full = o.apply(WindowStream.builder(split, 8)).build();
        List<WindowPosition> positions = new ArrayList<>();
        List<W> windows = new ArrayList<>();
        int[] buffer = new int[8];
        for (int i = 0; i < 3 * n; i++) {
          positions.add(full.position());
          int valid = full.next(buffer);
          windows.add(W.of(buffer, valid));
        }
        positions.add(full.position());
        // Mid-shard, mid-epoch, every shard boundary of epoch 1, and across the epoch boundaries.
        List<Integer> cuts = new ArrayList<>(List.of(1, 7, n / 2, n - 3, n - 1, n, n + 1, 2 * n - 2));
        for (int i = n; i < 2 * n; i++) {
          if (positions.get(i).window() == 0) {
            cuts.add(i);
          }
        }
        for (int cut : cuts) {
          WindowPosition at = positions.get(cut);
          WindowStream resumed = o.apply(WindowStream.builder(split, 8)).start(at).build();
          assertEquals(at, resumed.position());
          int count = Math.min(n + 2, windows.size() - cut);
          assertEquals(windows.subList(cut, cut + count), take(resumed, count),
              "aligned " + aligned + ", shuffle " + shuffle + ", resumed at " + at);
          assertEquals(positions.get(cut + count), resumed.position());
        }
        assertEquals(new WindowPosition(1, 0, 0), positions.get(n));
      }
    }
  }

  @Test
  void aPositionPastAShardsWindowsIsAnError(@TempDir Path dir) throws Exception {
    Path split = handCorpus(dir);
    WindowStream s = WindowStream.builder(split, 4).shuffle(false).start(new WindowPosition(0, 0, 3)).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.next(new int[4]));
    assertTrue(e.getMessage().contains("past the 2 windows of") && e.getMessage().contains("part-00000"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> WindowStream.builder(split, 4).start(new WindowPosition(0, 3, 0)).build());
    // At the end of a shard: continues with the next one.
    WindowStream atEnd = WindowStream.builder(split, 4).shuffle(false).start(new WindowPosition(0, 0, 2)).build();
    assertEquals(List.of(W.of(4, 11, 12, 13, 14)), take(atEnd, 1));
  }

  @Test
  void badBuffersAndSplitsWithoutWindowsAreErrors(@TempDir Path dir) throws Exception {
    Path split = handCorpus(dir);
    WindowStream s = WindowStream.builder(split, 4).build();
    assertThrows(IllegalArgumentException.class, () -> s.next(new int[3]));
    WindowStream tooLong = WindowStream.builder(split, 11).build();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> tooLong.next(new int[11]));
    assertTrue(e.getMessage().contains("no shard of"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> WindowStream.builder(split, 0));
    assertEquals(-1, WindowStream.builder(split, 4).epochs(0).build().next(new int[4]));
  }

  @Test
  void aTokenOutsideTheVocabularyIsAnErrorNamingTheShard(@TempDir Path dir) throws Exception {
    Path split = handCorpus(dir);
    WindowStream s = WindowStream.builder(split, 4).shuffle(false).vocabularySize(15).build();
    take(s, 2);
    CorpusReadException e = assertThrows(CorpusReadException.class, () -> s.next(new int[4]));
    assertTrue(e.getMessage().contains("part-00001.parquet") && e.getMessage().contains("token id 15 in row 0"),
        e.getMessage());
  }

  @Test
  void aBadShardFailsWhenTheStreamIsBuiltNamingIt(@TempDir Path dir) throws Exception {
    Path split = handCorpus(dir);
    Path bad = split.resolve(ParquetShards.part(5));
    Files.write(bad, "not parquet at all".getBytes());
    CorpusReadException e = assertThrows(CorpusReadException.class, () -> WindowStream.builder(split, 4).build());
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    // Without validation, when the stream reaches it.
    WindowStream lazy = WindowStream.builder(split, 4).shuffle(false).validateShards(false).build();
    take(lazy, 4);
    e = assertThrows(CorpusReadException.class, () -> lazy.next(new int[4]));
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());

    CorpusReadException missing = assertThrows(CorpusReadException.class,
        () -> WindowStream.builder(dir.resolve("nope/train"), 4).build());
    assertTrue(missing.getMessage().contains("nope/train"), missing.getMessage());
  }
}
