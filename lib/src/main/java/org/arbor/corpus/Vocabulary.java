package org.arbor.corpus;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token ids and their names: content tokens first (named prefix + number), then the boundary
 * tokens a process emits, then [UNK] and [PAD]. The model vocabulary is {@link #size()}.
 */
public final class Vocabulary implements Serializable {
  private static final long serialVersionUID = 1L;
  private final List<String> names;
  private final int contentTokens;
  private final Map<String, Integer> ids = new HashMap<>();

  public Vocabulary(String prefix, int firstNumber, int contentTokens, List<String> specials) {
    this.contentTokens = contentTokens;
    List<String> all = new ArrayList<>(contentTokens + specials.size());
    for (int i = 0; i < contentTokens; i++) {
      all.add(prefix + (i + firstNumber));
    }
    all.addAll(specials);
    names = Collections.unmodifiableList(all);
    for (int i = 0; i < names.size(); i++) {
      if (ids.put(names.get(i), i) != null) {
        throw new IllegalArgumentException("token name '" + names.get(i) + "' appears twice");
      }
    }
  }

  public int size() {
    return names.size();
  }

  /** Content tokens come first; ids from this one on are boundary and special tokens. */
  public int contentTokens() {
    return contentTokens;
  }

  public String name(int id) {
    return names.get(id);
  }

  public List<String> names() {
    return names;
  }

  /** The id of a named token, or -1. */
  public int id(String name) {
    Integer i = ids.get(name);
    return i == null ? -1 : i;
  }
}
