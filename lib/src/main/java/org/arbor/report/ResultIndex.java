package org.arbor.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.arbor.results.ResultRow;

/**
 * The successful rows of a results table indexed by model kind and run, in a fixed order (pcfg,
 * ngram, olmo, then other kinds by name; runs by name), so that figures do not depend on the order
 * of the table's files or rows.
 */
final class ResultIndex {
  static final List<String> KIND_ORDER = List.of("pcfg", "ngram", "olmo");

  private final List<ResultRow> rows = new ArrayList<>();
  private final TreeMap<String, TreeSet<String>> runsByKind = new TreeMap<>(ResultIndex::compareKinds);

  ResultIndex(List<ResultRow> all) {
    Map<List<Object>, ResultRow> seen = new HashMap<>();
    for (ResultRow r : all) {
      if (r.isError()) {
        continue;
      }
      // One value per (run, checkpoint, probe, layer, head, key): two would make every figure ambiguous.
      List<Object> id = List.of(r.run(), r.step(), r.probe(), r.layer(), r.head(), r.key());
      ResultRow before = seen.put(id, r);
      if (before != null) {
        throw new IllegalArgumentException("results table: run '" + r.run() + "' step " + r.step() + " probe '"
            + r.probe() + "' key '" + r.key() + "' layer " + r.layer() + " head " + r.head()
            + " appears twice (values " + before.value() + " and " + r.value() + ")");
      }
      rows.add(r);
      runsByKind.computeIfAbsent(r.modelKind(), k -> new TreeSet<>()).add(r.run());
    }
    rows.sort(Comparator.comparing(ResultRow::run).thenComparingLong(ResultRow::tokensSeen)
        .thenComparingInt(ResultRow::layer).thenComparingInt(ResultRow::head).thenComparing(ResultRow::key));
  }

  static int compareKinds(String a, String b) {
    int ia = KIND_ORDER.indexOf(a);
    int ib = KIND_ORDER.indexOf(b);
    ia = ia < 0 ? KIND_ORDER.size() : ia;
    ib = ib < 0 ? KIND_ORDER.size() : ib;
    return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
  }

  List<String> kinds() {
    return List.copyOf(runsByKind.keySet());
  }

  List<String> runs(String kind) {
    return List.copyOf(runsByKind.getOrDefault(kind, new TreeSet<>()));
  }

  /** The run's rows of one probe that pass the filter, in (tokens seen, layer, head, key) order. */
  List<ResultRow> select(String run, String probe, Predicate<ResultRow> filter) {
    List<ResultRow> out = new ArrayList<>();
    for (ResultRow r : rows) {
      if (r.run().equals(run) && r.probe().equals(probe) && filter.test(r)) {
        out.add(r);
      }
    }
    return out;
  }

  /** Distinct key values of a probe's rows whose measure matches, for one qualifier (e.g. task). */
  TreeSet<String> qualifierValues(String probe, String measure, String qualifier) {
    TreeSet<String> out = new TreeSet<>();
    for (ResultRow r : rows) {
      if (r.probe().equals(probe)) {
        ResultKey k = ResultKey.parse(r.key());
        if (k.measure().equals(measure) && k.get(qualifier) != null) {
          out.add(k.get(qualifier));
        }
      }
    }
    return out;
  }

  /** Tokens seen -> value for the rows (one per checkpoint; NaN values are left out). */
  static TreeMap<Long, Double> byTokens(List<ResultRow> rows) {
    TreeMap<Long, Double> out = new TreeMap<>();
    for (ResultRow r : rows) {
      if (!Double.isNaN(r.value())) {
        Double before = out.put(r.tokensSeen(), r.value());
        if (before != null) {
          throw new IllegalStateException("two values at " + r.tokensSeen() + " tokens for key " + r.key());
        }
      }
    }
    return out;
  }

  static boolean keyIs(ResultRow r, String key) {
    return Objects.equals(r.key(), key);
  }
}
