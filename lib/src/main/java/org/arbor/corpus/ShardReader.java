package org.arbor.corpus;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads the {@code tokens} column of one corpus shard, one document (row) at a time in row order.
 *
 * <p>Only the {@code tokens} column chunks are read from storage (a projection of the file's
 * schema); the other columns of a shard are never fetched or decoded. At most one row group's
 * {@code tokens} pages are held in memory. Any list encoding of {@code list<int32>} is accepted:
 * the three-level one Spark writes ({@code tokens.list.element}) and the legacy two-level one. Page
 * checksums, where the writer stored them (Spark and parquet-mr do by default), are verified, so
 * flipped bytes in a page fail loudly instead of yielding wrong tokens.
 *
 * <p>Paths are Hadoop paths: local ({@code /x} or {@code file:/x}) or any file system whose
 * connector is on the classpath. Every failure to open or decode the shard is a
 * {@link CorpusReadException} naming the file. Not thread-safe.
 */
public final class ShardReader implements AutoCloseable {
  /** The column this reader projects. */
  public static final String TOKENS = "tokens";

  /** A shard's file name: {@code part-NNNNN.parquet}, also Spark's own {@code part-NNNNN-uuid.c000.snappy.parquet}. */
  private static final Pattern PART = Pattern.compile("part-\\d+.*\\.parquet");

  private final String file;
  private final ParquetFileReader reader;
  private final MessageType projection;
  private final ColumnDescriptor column;
  private final GroupConverter converters;
  private final String createdBy;
  /** Definition level of a present token. */
  private final int tokenDefinition;
  /** Definition level at which a list entry exists (below it: an empty or null list). */
  private final int entryDefinition;

  private ColumnReader values;
  private long valuesLeft;
  private long groupRows;
  private long groupRowsRead;
  private int[] tokens = new int[256];
  private int length;
  private long row = -1;

  private ShardReader(String file, ParquetFileReader reader, MessageType projection, ColumnDescriptor column,
      String createdBy, int entryDefinition) {
    this.file = file;
    this.reader = reader;
    this.projection = projection;
    this.column = column;
    this.createdBy = createdBy;
    this.tokenDefinition = column.getMaxDefinitionLevel();
    this.entryDefinition = entryDefinition;
    this.converters = (GroupConverter) noOpConverter(projection);
  }

  /**
   * The shards of a split directory ({@code DIR/train}, {@code DIR/test}): its {@code part-*.parquet}
   * files in name order, which is the order of the split's corpus stream. Hidden files, checksums
   * and markers are ignored.
   *
   * @throws CorpusReadException if the directory is missing, not a directory, or holds no part file
   */
  public static List<Path> listShards(Path split, Configuration conf) {
    FileStatus[] entries;
    try {
      FileSystem fs = split.getFileSystem(conf);
      FileStatus status;
      try {
        status = fs.getFileStatus(split);
      } catch (FileNotFoundException e) {
        throw new CorpusReadException(split.toString(), "split directory does not exist");
      }
      if (!status.isDirectory()) {
        throw new CorpusReadException(split.toString(), "is not a split directory (it is a file)");
      }
      entries = fs.listStatus(split);
    } catch (IOException e) {
      throw new CorpusReadException(split.toString(), "cannot list split directory: " + e, e);
    }
    List<Path> shards = new ArrayList<>();
    for (FileStatus entry : entries) {
      if (entry.isFile() && PART.matcher(entry.getPath().getName()).matches()) {
        shards.add(entry.getPath());
      }
    }
    if (shards.isEmpty()) {
      throw new CorpusReadException(split.toString(), "split directory holds no part-*.parquet files");
    }
    shards.sort(Comparator.comparing(Path::getName));
    return List.copyOf(shards);
  }

  /**
   * Opens a shard: reads its footer and checks that it has a {@code tokens} column of type
   * {@code list<int32>}.
   *
   * @throws CorpusReadException if the file is missing, not Parquet, truncated, or has no such column
   */
  public static ShardReader open(Path path, Configuration conf) {
    String file = path.toString();
    ParquetFileReader reader;
    try {
      ParquetReadOptions options = HadoopReadOptions.builder(conf, path).usePageChecksumVerification(true).build();
      reader = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf), options);
    } catch (FileNotFoundException e) {
      throw new CorpusReadException(file, "shard does not exist", e);
    } catch (IOException | RuntimeException e) {
      throw new CorpusReadException(file, "not a readable Parquet file, truncated or corrupt (" + e.getMessage() + ")", e);
    }
    try {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      if (!schema.containsField(TOKENS)) {
        List<String> names = schema.getFields().stream().map(Type::getName).toList();
        throw new CorpusReadException(file, "shard has no '" + TOKENS + "' column (columns: " + names + ")");
      }
      MessageType projection = new MessageType(schema.getName(), schema.getType(TOKENS));
      List<ColumnDescriptor> leaves = projection.getColumns();
      ColumnDescriptor column = leaves.size() == 1 ? leaves.get(0) : null;
      if (column == null || !isInt32(column.getPrimitiveType()) || column.getMaxRepetitionLevel() != 1) {
        throw new CorpusReadException(file, "column '" + TOKENS + "' is not a list<int32>: " + schema.getType(TOKENS));
      }
      reader.setRequestedSchema(projection);
      return new ShardReader(file, reader, projection, column, reader.getFooter().getFileMetaData().getCreatedBy(),
          entryDefinition(projection, column.getPath()));
    } catch (RuntimeException e) {
      closeQuietly(reader);
      if (e instanceof CorpusReadException) {
        throw e;
      }
      throw new CorpusReadException(file, "unreadable Parquet schema (" + e.getMessage() + ")", e);
    }
  }

  private static boolean isInt32(PrimitiveType type) {
    if (type.getPrimitiveTypeName() != PrimitiveType.PrimitiveTypeName.INT32) {
      return false;
    }
    LogicalTypeAnnotation a = type.getLogicalTypeAnnotation();
    return a == null || (a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && i.getBitWidth() == 32
        && i.isSigned());
  }

  /** The definition level of the path down to its repeated field. */
  private static int entryDefinition(MessageType schema, String[] path) {
    Type type = schema;
    for (int i = 0; i < path.length; i++) {
      type = type.asGroupType().getType(path[i]);
      if (type.isRepetition(Type.Repetition.REPEATED)) {
        return schema.getMaxDefinitionLevel(Arrays.copyOf(path, i + 1));
      }
    }
    throw new IllegalStateException("no repeated field on " + String.join(".", path));
  }

  /** The shard's path. */
  public String file() {
    return file;
  }

  /** Rows (documents) in the shard, from its footer. */
  public long rows() {
    return reader.getRecordCount();
  }

  /**
   * Advances to the next document.
   *
   * @return false after the last document
   * @throws CorpusReadException if a page cannot be read or decoded (checksum, truncation, a null token)
   */
  public boolean nextDocument() {
    if (valuesLeft == 0 && !nextRowGroup()) {
      return false;
    }
    length = 0;
    try {
      do {
        int definition = values.getCurrentDefinitionLevel();
        if (definition == tokenDefinition) {
          if (length == tokens.length) {
            tokens = Arrays.copyOf(tokens, 2 * length);
          }
          tokens[length++] = values.getInteger();
        } else if (definition >= entryDefinition) {
          throw new CorpusReadException(file, "null token in row " + (row + 1));
        }
        values.consume();
        valuesLeft--;
      } while (valuesLeft > 0 && values.getCurrentRepetitionLevel() != 0);
    } catch (CorpusReadException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CorpusReadException(file, "corrupt '" + TOKENS + "' data near row " + (row + 1) + " (" + e + ")", e);
    }
    row++;
    groupRowsRead++;
    if (valuesLeft == 0 && groupRowsRead != groupRows) {
      throw new CorpusReadException(file, "corrupt row group: " + groupRowsRead + " rows of '" + TOKENS
          + "' decoded, footer says " + groupRows);
    }
    return true;
  }

  private boolean nextRowGroup() {
    try {
      while (true) {
        PageReadStore pages = reader.readNextRowGroup();
        if (pages == null) {
          if (row + 1 != reader.getRecordCount()) {
            throw new CorpusReadException(file, "read " + (row + 1) + " rows, footer says " + reader.getRecordCount());
          }
          return false;
        }
        values = new ColumnReadStoreImpl(pages, converters, projection, createdBy).getColumnReader(column);
        valuesLeft = values.getTotalValueCount();
        groupRows = pages.getRowCount();
        groupRowsRead = 0;
        if (valuesLeft > 0) {
          return true;
        }
        if (groupRows != 0) {
          throw new CorpusReadException(file, "row group of " + groupRows + " rows has no '" + TOKENS + "' values");
        }
      }
    } catch (CorpusReadException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CorpusReadException(file, "cannot read the row group from row " + (row + 1) + ", truncated or corrupt ("
          + e.getMessage() + ")", e);
    }
  }

  /** Tokens of the current document. */
  public int length() {
    return length;
  }

  /** The current document's tokens in {@code [0, length())}; a buffer the next call overwrites. */
  public int[] tokens() {
    return tokens;
  }

  /** Index of the current document in the shard (0 after the first {@link #nextDocument()}). */
  public long row() {
    return row;
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new CorpusReadException(file, "cannot close shard: " + e, e);
    }
  }

  private static void closeQuietly(ParquetFileReader reader) {
    try {
      reader.close();
    } catch (IOException | RuntimeException ignored) {
      // the original failure is the one to report
    }
  }

  /**
   * Converters that ignore everything: the column reader needs one for its leaf, but this reader
   * takes values from the column reader directly.
   */
  private static Converter noOpConverter(Type type) {
    if (type.isPrimitive()) {
      return new PrimitiveConverter() {};
    }
    GroupType group = type.asGroupType();
    Converter[] children = new Converter[group.getFieldCount()];
    for (int i = 0; i < children.length; i++) {
      children[i] = noOpConverter(group.getType(i));
    }
    return new GroupConverter() {
      @Override
      public Converter getConverter(int fieldIndex) {
        return children[fieldIndex];
      }

      @Override
      public void start() {}

      @Override
      public void end() {}
    };
  }
}
