package org.arbor.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.StorageStatistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ShardReader: documents in row order from the tokens column only, and errors that name the file. */
class ShardReaderTest {
  private static final Configuration CONF = new Configuration();

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  private static List<int[]> randomDocuments(long seed, int count, int maxLength) {
    Random r = new Random(seed);
    List<int[]> docs = new ArrayList<>();
    for (int d = 0; d < count; d++) {
      int[] doc = new int[r.nextInt(maxLength + 1)];
      for (int i = 0; i < doc.length; i++) {
        doc[i] = r.nextInt(5000);
      }
      docs.add(doc);
    }
    return docs;
  }

  private static List<int[]> readAll(Path file) {
    List<int[]> docs = new ArrayList<>();
    try (ShardReader reader = ShardReader.open(hadoop(file), CONF)) {
      while (reader.nextDocument()) {
        assertEquals(docs.size(), reader.row());
        docs.add(Arrays.copyOf(reader.tokens(), reader.length()));
      }
      assertEquals(docs.size(), reader.rows());
      assertFalse(reader.nextDocument());
    }
    return docs;
  }

  private static void assertSameDocuments(List<int[]> expected, List<int[]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "document " + i);
    }
  }

  @Test
  void readsDocumentsInRowOrderIncludingEmptyOnes(@TempDir Path dir) throws Exception {
    List<int[]> docs = List.of(new int[] {1, 2, 3}, new int[0], new int[] {7}, new int[] {4, 4, 4, 4, 4, 9});
    Path file = dir.resolve(ParquetShards.part(0));
    ParquetShards.writeInts(file, docs);
    assertSameDocuments(docs, readAll(file));
  }

  @Test
  void readsAcrossManyRowGroupsAndPages(@TempDir Path dir) throws Exception {
    List<int[]> docs = randomDocuments(1, 3000, 300);
    Path file = dir.resolve(ParquetShards.part(0));
    ParquetShards.writeInts(file, docs, ParquetShards.options().smallGroups());
    try (var footer = org.apache.parquet.hadoop.ParquetFileReader.open(CONF, hadoop(file))) {
      assertTrue(footer.getRowGroups().size() > 5, "the test needs several row groups");
    }
    assertSameDocuments(docs, readAll(file));
  }

  @Test
  void readsTheLegacyTwoLevelAndNullableListEncodingsAlike(@TempDir Path dir) throws Exception {
    List<int[]> docs = randomDocuments(2, 200, 50);
    Path two = dir.resolve("two.parquet");
    Path nullable = dir.resolve("nullable.parquet");
    ParquetShards.writeInts(two, docs, ParquetShards.options().twoLevel());
    ParquetShards.writeInts(nullable, docs, ParquetShards.options().nullableTokens().smallGroups());
    assertSameDocuments(docs, readAll(two));
    assertSameDocuments(docs, readAll(nullable));
  }

  @Test
  void aNullTokenIsAnErrorNamingTheFileAndRow(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(ParquetShards.part(0));
    ParquetShards.write(file, List.of(new Integer[] {1, 2}, new Integer[] {3, null, 5}),
        ParquetShards.options().nullableTokens());
    try (ShardReader reader = ShardReader.open(hadoop(file), CONF)) {
      assertTrue(reader.nextDocument());
      CorpusReadException e = assertThrows(CorpusReadException.class, reader::nextDocument);
      assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
      assertTrue(e.getMessage().contains("null token in row 1"), e.getMessage());
    }
  }

  /** Only the tokens column chunks are fetched: a shard whose other column is 50 times larger reads little. */
  @Test
  void readsOnlyTheTokensColumn(@TempDir Path dir) throws Exception {
    List<int[]> docs = randomDocuments(3, 2000, 20);
    Path file = dir.resolve(ParquetShards.part(0));
    ParquetShards.writeInts(file, docs, ParquetShards.options().other(500));
    long size = Files.size(file);
    assertTrue(size > 3_000_000, "the other column should dominate the file, size " + size);
    StorageStatistics stats = FileSystem.getGlobalStorageStatistics().get("file");
    long before = stats == null ? 0 : stats.getLong("bytesRead");
    assertSameDocuments(docs, readAll(file));
    stats = FileSystem.getGlobalStorageStatistics().get("file");
    long read = stats.getLong("bytesRead") - before;
    assertTrue(read > 0 && read < size / 10, "read " + read + " bytes of a " + size + "-byte shard");
  }

  @Test
  void listsPartFilesInNameOrderAndIgnoresTheRest(@TempDir Path dir) throws Exception {
    Path split = dir.resolve("train");
    for (int n : new int[] {10, 2, 0}) {
      ParquetShards.writeInts(split.resolve(ParquetShards.part(n)), List.of(new int[] {n}));
    }
    Files.writeString(split.resolve("_SUCCESS"), "");
    Files.writeString(split.resolve(".part-00000.parquet.crc"), "x");
    Files.writeString(split.resolve("notes.parquet"), "x");
    Files.createDirectories(split.resolve("part-00099.parquet.tmp"));
    List<String> names = ShardReader.listShards(hadoop(split), CONF).stream().map(p -> p.getName()).toList();
    assertEquals(List.of("part-00000.parquet", "part-00002.parquet", "part-00010.parquet"), names);
  }

  @Test
  void aMissingOrEmptySplitDirectoryIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("corpus/train");
    CorpusReadException e = assertThrows(CorpusReadException.class,
        () -> ShardReader.listShards(hadoop(missing), CONF));
    assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());

    Path empty = Files.createDirectories(dir.resolve("corpus/test"));
    Files.writeString(empty.resolve("_SUCCESS"), "");
    e = assertThrows(CorpusReadException.class, () -> ShardReader.listShards(hadoop(empty), CONF));
    assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("no part-*.parquet"), e.getMessage());
    assertEquals(hadoop(empty).toString(), e.file());
  }

  @Test
  void garbageBytesAreAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(ParquetShards.part(3));
    byte[] garbage = new byte[5000];
    new Random(4).nextBytes(garbage);
    Files.write(file, garbage);
    CorpusReadException e = assertThrows(CorpusReadException.class, () -> ShardReader.open(hadoop(file), CONF));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not a readable Parquet file"),
        e.getMessage());
  }

  @Test
  void aTruncatedShardIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(ParquetShards.part(0));
    ParquetShards.writeInts(file, randomDocuments(5, 500, 100));
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    CorpusReadException e = assertThrows(CorpusReadException.class, () -> ShardReader.open(hadoop(file), CONF));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void corruptPagesAreAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(ParquetShards.part(0));
    ParquetShards.writeInts(file, randomDocuments(6, 500, 100));
    long start;
    long size;
    try (var footer = org.apache.parquet.hadoop.ParquetFileReader.open(CONF, hadoop(file))) {
      var chunk = footer.getRowGroups().get(0).getColumns().stream()
          .filter(c -> c.getPath().toDotString().startsWith("tokens.")).findFirst().orElseThrow();
      start = chunk.getStartingPos();
      size = chunk.getTotalSize();
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      // Inside the tokens pages, past their headers: values, not structure, so only checksums catch it.
      for (long at = start + size / 3; at < start + size / 2; at += 97) {
        f.seek(at);
        int b = f.read();
        f.seek(at);
        f.write(b ^ 0x5A);
      }
    }
    CorpusReadException e = assertThrows(CorpusReadException.class, () -> readAll(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void aShardWithoutTokensIsAnErrorNamingTheFileAndColumns(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(ParquetShards.part(1));
    ParquetShards.writeInts(file, List.of(new int[] {1}), ParquetShards.options().noTokens());
    CorpusReadException e = assertThrows(CorpusReadException.class, () -> ShardReader.open(hadoop(file), CONF));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("no 'tokens' column (columns: [doc_id, num_tokens, rank])"), e.getMessage());
  }

  @Test
  void aMissingShardIsAnErrorNamingTheFile(@TempDir Path dir) {
    Path file = dir.resolve(ParquetShards.part(7));
    CorpusReadException e = assertThrows(CorpusReadException.class, () -> ShardReader.open(hadoop(file), CONF));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
  }
}
