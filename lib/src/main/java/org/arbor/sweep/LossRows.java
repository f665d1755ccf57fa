package org.arbor.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.arbor.corpus.Manifest;
import org.arbor.results.ResultRow;

/**
 * The "loss" rows of a checkpoint, so that the report draws training curves from the results table
 * alone: train_loss (mean of the per-step losses over the last {@value #SMOOTH} steps up to the
 * checkpoint, as one step's batch loss is noisy), heldout_loss (the trainer's evaluation at that
 * step) and entropy_floor (the held-out split's exact entropy rate from the corpus manifest).
 */
public final class LossRows {
  static final int SMOOTH = 10;

  private LossRows() {}

  public static List<ResultRow> of(SweepCell c) throws IOException {
    List<ResultRow> rows = new ArrayList<>();
    if (c.metrics() != null && Files.isRegularFile(Path.of(c.metrics()))) {
      List<String> lines = Files.readAllLines(Path.of(c.metrics()));
      if (lines.isEmpty()) {
        throw new IOException(c.metrics() + ": empty");
      }
      List<String> header = List.of(lines.get(0).split(","));
      int step = column(header, "step", c.metrics());
      int loss = column(header, "loss", c.metrics());
      int eval = column(header, "eval_loss", c.metrics());
      double sum = 0;
      int n = 0;
      double heldOut = Double.NaN;
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",", -1);
        long s = Long.parseLong(f[step]);
        if (s > c.step() - SMOOTH && s <= c.step()) {
          sum += Double.parseDouble(f[loss]);
          n++;
        }
        if (s == c.step() && !f[eval].isEmpty()) {
          heldOut = Double.parseDouble(f[eval]);
        }
      }
      if (n > 0) {
        rows.add(row(c, "train_loss", sum / n));
      }
      if (!Double.isNaN(heldOut)) {
        rows.add(row(c, "heldout_loss", heldOut));
      }
    }
    if (c.corpus() != null) {
      Path manifest = Path.of(c.corpus(), Manifest.FILE);
      JsonNode floor = new ObjectMapper().readTree(manifest.toFile())
          .path("splits").path("test").path("entropy_floor_nats_per_token");
      if (floor.isNumber()) {
        rows.add(row(c, "entropy_floor", floor.asDouble()));
      }
    }
    return rows;
  }

  private static int column(List<String> header, String name, String file) throws IOException {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new IOException(file + ": no column '" + name + "'");
    }
    return i;
  }

  private static ResultRow row(SweepCell c, String key, double value) {
    return new ResultRow(c.run(), c.modelKind(), c.checkpoint(), c.step(), c.tokensSeen(), SweepCell.LOSS, -1, -1,
        key, value, null);
  }
}
