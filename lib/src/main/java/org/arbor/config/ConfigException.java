package org.arbor.config;

/** A configuration problem, always naming the file, the key and what is wrong with it. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String file, String key, String problem) {
    super(file + ": " + (key.isEmpty() ? "" : "key '" + key + "': ") + problem);
  }

  public ConfigException(String message) {
    super(message);
  }
}
