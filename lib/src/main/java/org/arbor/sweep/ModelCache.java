package org.arbor.sweep;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.arbor.model.CausalLm;
import org.arbor.model.Models;

/**
 * Checkpoints loaded in this JVM, shared by the tasks of an executor: the sweep orders a
 * checkpoint's cells next to each other, so each checkpoint is loaded once per executor however many
 * probe groups read it. Holds at most {@code capacity} models that no task is using.
 */
public final class ModelCache implements AutoCloseable {
  private static ModelCache shared;
  private final NDManager manager = NDManager.newBaseManager();
  private final int capacity;
  private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long loads;

  private static final class Entry {
    final CausalLm model;
    int users;

    Entry(CausalLm model) {
      this.model = model;
    }
  }

  /** A model in use; close it when done. */
  public final class Lease implements AutoCloseable {
    private final String key;
    public final CausalLm model;

    private Lease(String key, CausalLm model) {
      this.key = key;
      this.model = model;
    }

    @Override
    public void close() {
      release(key);
    }
  }

  public ModelCache(int capacity) {
    this.capacity = capacity;
  }

  /** The JVM's cache (one per executor). */
  public static synchronized ModelCache shared() {
    if (shared == null) {
      shared = new ModelCache(Integer.getInteger("arbor.modelCache", 2));
    }
    return shared;
  }

  public synchronized Lease acquire(Path checkpoint) throws IOException {
    String key = checkpoint.toAbsolutePath().normalize().toString();
    Entry e = entries.get(key);
    if (e == null) {
      e = new Entry(Models.load(checkpoint, manager));
      loads++;
      entries.put(key, e);
    }
    e.users++;
    evict();
    return new Lease(key, e.model);
  }

  /** How many checkpoints this cache has loaded (for the benchmark and tests). */
  public synchronized long loads() {
    return loads;
  }

  private synchronized void release(String key) {
    Entry e = entries.get(key);
    if (e != null) {
      e.users--;
    }
    evict();
  }

  private void evict() {
    int idle = 0;
    for (Entry e : entries.values()) {
      idle += e.users == 0 ? 1 : 0;
    }
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext() && idle > capacity;) {
      Entry e = it.next(); // least recently used first
      if (e.users == 0) {
        e.model.close();
        it.remove();
        idle--;
      }
    }
  }

  /** Drops every model no task is using (benchmarks start each measurement cold). */
  public synchronized void clear() {
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext();) {
      Entry e = it.next();
      if (e.users == 0) {
        e.model.close();
        it.remove();
      }
    }
  }

  @Override
  public synchronized void close() {
    entries.values().forEach(e -> e.model.close());
    entries.clear();
    manager.close();
  }
}
