package org.arbor.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.arbor.testing.Oracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTableTest {
  @TempDir Path dir;

  private static final List<ResultRow> ROWS = List.of(
      new ResultRow("pcfg", "pcfg", "/r/step-10", 10, 81920, "induction", 1, 3, "prefix_matching", 0.25, null),
      ResultRow.error("pcfg", "pcfg", "/r/step-20", 20, 163840, "hydra", "corrupt weights"));

  @Test
  void roundTripsAndReplacesWhole() throws Exception {
    Path f = dir.resolve("cell-a.parquet");
    ResultsTable.write(f, List.of(ROWS.get(0)));
    ResultsTable.write(f, ROWS);
    ResultsTable.write(dir.resolve("cell-b.parquet"), List.of(ROWS.get(0)));
    List<ResultRow> back = ResultsTable.read(dir);
    assertEquals(3, back.size());
    assertEquals(ROWS.get(0), back.get(0));
    assertEquals("corrupt weights", back.get(1).error());
    assertTrue(Double.isNaN(back.get(1).value()));
    try (var s = Files.list(dir)) {
      assertEquals(2, s.count(), "no temporary or checksum files are left");
    }
  }

  @Test
  void footerListsEncodingsInCodeOrder() throws Exception {
    // parquet-mr gathers encodings in a HashSet (identity-hash order): the table's bytes would
    // differ between JVMs without CanonicalFooter.
    Path f = dir.resolve("cell-a.parquet");
    ResultsTable.write(f, ROWS);
    int multi = org.arbor.testing.ParquetFooters.assertEncodingsInCodeOrder(f);
    assertTrue(multi >= 5, "columns with several encodings: " + multi);
    assertEquals(ROWS.get(0), ResultsTable.read(dir).get(0));
  }

  @Test
  void duckdbReadsTheTable() throws Exception {
    if (!Oracle.available()) {
      return;
    }
    ResultsTable.write(dir.resolve("cell-a.parquet"), ROWS);
    String out = Oracle.run("""
        import duckdb, sys
        print(duckdb.sql(f"select count(*), sum(value) filter (where error is null), max(step) from '{sys.argv[1]}/*.parquet'").fetchall())
        """, dir.toString());
    assertEquals("[(2, 0.25, 20)]", out.strip());
  }
}
