package org.arbor.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A results key split into its measure and qualifiers: {@code measure:name=value,name=value} (see
 * org.arbor.probe's package doc), e.g. {@code probe_accuracy:target=category,point=embed}.
 */
public record ResultKey(String measure, Map<String, String> qualifiers) {
  public ResultKey {
    qualifiers = Collections.unmodifiableMap(new LinkedHashMap<>(qualifiers));
  }

  public static ResultKey parse(String key) {
    int colon = key.indexOf(':');
    if (colon < 0) {
      return new ResultKey(key, Map.of());
    }
    Map<String, String> q = new LinkedHashMap<>();
    for (String part : key.substring(colon + 1).split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("results key '" + key + "': qualifier '" + part + "' is not name=value");
      }
      q.put(part.substring(0, eq), part.substring(eq + 1));
    }
    return new ResultKey(key.substring(0, colon), q);
  }

  /** The qualifier's value, or null. */
  public String get(String name) {
    return qualifiers.get(name);
  }
}
