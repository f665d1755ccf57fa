package org.arbor.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A strict view of one YAML mapping: every read names its full key path, and {@link #finish()}
 * rejects keys nobody read, so a typo in a config file is an error instead of a silent default.
 */
public final class ConfigNode {
  private final String file;
  private final String path;
  private final Map<String, Object> map;
  private final Set<String> read = new LinkedHashSet<>();

  private ConfigNode(String file, String path, Map<String, Object> map) {
    this.file = file;
    this.path = path;
    this.map = map;
  }

  /** Parses a YAML file whose top level must be a mapping. */
  public static ConfigNode load(Path file) {
    String name = file.toString();
    try (Reader reader = Files.newBufferedReader(file)) {
      return parse(name, reader);
    } catch (NoSuchFileException e) {
      throw new ConfigException(name, "", "file not found");
    } catch (IOException e) {
      throw new ConfigException(name, "", "cannot read: " + e.getMessage());
    }
  }

  /** A node over plain values already read (e.g. a probe's settings kept in a sweep spec). */
  public static ConfigNode of(String file, String path, Map<String, Object> values) {
    return new ConfigNode(file, path, new LinkedHashMap<>(values));
  }

  public static ConfigNode parse(String file, Reader reader) {
    Object root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    } catch (YAMLException e) {
      throw new ConfigException(file, "", "invalid YAML: " + e.getMessage().replace('\n', ' '));
    }
    if (!(root instanceof Map)) {
      throw new ConfigException(file, "", "expected a YAML mapping at the top level");
    }
    return new ConfigNode(file, "", asStringMap(file, "", root));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asStringMap(String file, String path, Object value) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<Object, Object> e : ((Map<Object, Object>) value).entrySet()) {
      out.put(String.valueOf(e.getKey()), e.getValue());
    }
    return out;
  }

  public String file() {
    return file;
  }

  public String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  public String path() {
    return path;
  }

  public boolean has(String name) {
    return map.containsKey(name);
  }

  /** Keys in file order (marks them read). */
  public List<String> keys() {
    read.addAll(map.keySet());
    return new ArrayList<>(map.keySet());
  }

  public ConfigException error(String name, String problem) {
    return new ConfigException(file, name == null ? path : key(name), problem);
  }

  private Object raw(String name) {
    read.add(name);
    Object v = map.get(name);
    if (v == null) {
      throw error(name, "missing (required)");
    }
    return v;
  }

  public ConfigNode child(String name) {
    Object v = raw(name);
    if (!(v instanceof Map)) {
      throw error(name, "expected a mapping, got " + describe(v));
    }
    return new ConfigNode(file, key(name), asStringMap(file, key(name), v));
  }

  public ConfigNode childOrEmpty(String name) {
    if (!has(name) || map.get(name) == null) {
      read.add(name);
      return new ConfigNode(file, key(name), new LinkedHashMap<>());
    }
    return child(name);
  }

  /** A list whose items are mappings; item i has key path name[i]. */
  public List<ConfigNode> childList(String name) {
    List<?> items = list(name);
    List<ConfigNode> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String k = key(name) + "[" + i + "]";
      if (!(items.get(i) instanceof Map)) {
        throw new ConfigException(file, k, "expected a mapping, got " + describe(items.get(i)));
      }
      out.add(new ConfigNode(file, k, asStringMap(file, k, items.get(i))));
    }
    return out;
  }

  public List<?> list(String name) {
    Object v = raw(name);
    if (!(v instanceof List)) {
      throw error(name, "expected a list, got " + describe(v));
    }
    return (List<?>) v;
  }

  public List<String> stringList(String name) {
    List<String> out = new ArrayList<>();
    List<?> items = list(name);
    for (int i = 0; i < items.size(); i++) {
      Object o = items.get(i);
      if (!(o instanceof String) && !(o instanceof Number)) {
        throw new ConfigException(file, key(name) + "[" + i + "]", "expected a name, got " + describe(o));
      }
      out.add(String.valueOf(o));
    }
    return out;
  }

  public String string(String name) {
    Object v = raw(name);
    if (!(v instanceof String)) {
      throw error(name, "expected a string, got " + describe(v));
    }
    return (String) v;
  }

  public String string(String name, String fallback) {
    return has(name) ? string(name) : markDefault(name, fallback);
  }

  public long longValue(String name) {
    Object v = raw(name);
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v instanceof Double && (Double) v == Math.rint((Double) v) && Math.abs((Double) v) < 9e15) {
      return ((Double) v).longValue(); // 5e9 is a common way to write counts
    }
    throw error(name, "expected an integer, got " + describe(v));
  }

  public long longValue(String name, long fallback) {
    return has(name) ? longValue(name) : markDefault(name, fallback);
  }

  public int intValue(String name) {
    long v = longValue(name);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw error(name, "value " + v + " is out of range");
    }
    return (int) v;
  }

  public int intValue(String name, int fallback) {
    return has(name) ? intValue(name) : markDefault(name, fallback);
  }

  /** A non-negative count. */
  public int count(String name) {
    int v = intValue(name);
    if (v < 0) {
      throw error(name, "must not be negative, got " + v);
    }
    return v;
  }

  public int count(String name, int fallback) {
    return has(name) ? count(name) : markDefault(name, fallback);
  }

  /** A count of at least 1 (sizes, samples, batch sizes). */
  public int positive(String name, int fallback) {
    int v = count(name, fallback);
    if (v < 1) {
      throw error(name, "must be at least 1, got " + v);
    }
    return v;
  }

  /** A real number; also accepts fractions written "1/3". */
  public double number(String name) {
    return toNumber(raw(name), key(name));
  }

  public double number(String name, double fallback) {
    return has(name) ? number(name) : markDefault(name, fallback);
  }

  public boolean bool(String name, boolean fallback) {
    if (!has(name)) {
      return markDefault(name, fallback);
    }
    Object v = raw(name);
    if (!(v instanceof Boolean)) {
      throw error(name, "expected true or false, got " + describe(v));
    }
    return (Boolean) v;
  }

  public double toNumber(Object v, String fullKey) {
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof String) {
      String s = ((String) v).trim();
      int slash = s.indexOf('/');
      try {
        if (slash > 0) {
          return Double.parseDouble(s.substring(0, slash)) / Double.parseDouble(s.substring(slash + 1));
        }
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new ConfigException(file, fullKey, "expected a number, got " + describe(v));
  }

  private <T> T markDefault(String name, T fallback) {
    read.add(name);
    return fallback;
  }

  /** Rejects keys that were never read: they are typos or knobs this version does not have. */
  public void finish() {
    for (String k : map.keySet()) {
      if (!read.contains(k)) {
        throw new ConfigException(file, key(k), "unknown key");
      }
    }
  }

  /** The mapping as plain Java values, for hashing and for the manifest. */
  public Map<String, Object> raw() {
    return map;
  }

  private static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof Map) {
      return "a mapping";
    }
    if (v instanceof List) {
      return "a list";
    }
    return "'" + v + "'";
  }
}
