package org.arbor.jobs.corpus;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The on-disk column names and order of a corpus shard (schema version 1; see README). */
public final class CorpusSchema {
  private CorpusSchema() {}

  public static final String[] COLUMNS = {
    "doc_id", "base_doc_id", "repetition", "split", "order_key", "num_tokens", "log_prob",
    "tokens", "category", "rank", "section", "paragraph", "sentence", "clause", "ngram_order"
  };
  private static final String[] BEAN_FIELDS = {
    "docId", "baseDocId", "repetition", "split", "orderKey", "numTokens", "logProb",
    "tokens", "category", "rank", "section", "paragraph", "sentence", "clause", "ngramOrder"
  };

  /** Bean-encoded rows to the on-disk layout. */
  public static Dataset<Row> toDisk(Dataset<CorpusRow> rows) {
    Column[] cols = new Column[COLUMNS.length];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = col(BEAN_FIELDS[i]).as(COLUMNS[i]);
    }
    return rows.select(cols);
  }
}
