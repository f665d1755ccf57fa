package org.arbor.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/** Reads a Parquet file's footer as written (thrift), for checks that parquet-mr's reader hides. */
public final class ParquetFooters {
  private ParquetFooters() {}

  /** The file's tail: footer, its 4-byte length and "PAR1". */
  public static byte[] tail(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    int n = all.length;
    int length = ByteBuffer.wrap(all, n - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    return java.util.Arrays.copyOfRange(all, n - 8 - length, n);
  }

  /** The footer of a tail. */
  public static FileMetaData footer(byte[] tail) throws IOException {
    return Util.readFileMetaData(new ByteArrayInputStream(tail, 0, tail.length - 8));
  }

  /**
   * Asserts that every column chunk lists its encodings in code order (parquet-mr would list them
   * in HashSet order, which changes between JVMs); returns how many chunks list several.
   */
  public static int assertEncodingsInCodeOrder(Path file) throws IOException {
    int several = 0;
    for (RowGroup g : footer(tail(file)).getRow_groups()) {
      for (ColumnChunk c : g.getColumns()) {
        List<Encoding> e = c.getMeta_data().getEncodings();
        several += e.size() > 1 ? 1 : 0;
        for (int i = 1; i < e.size(); i++) {
          assertTrue(e.get(i - 1).getValue() < e.get(i).getValue(), file + ": encodings out of order: " + e);
        }
      }
    }
    return several;
  }
}
