package io.cascadefarm.common.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Layered configuration: environment variables, then a properties file, then flags, each later
 * layer overriding the earlier ones (architecture rule 9). Values are looked up by {@link
 * ConfigKey}; a missing value falls back to the key's default.
 */
public final class ConfigSource {
  private final Map<String, String> env;
  private final Map<String, String> file;
  private final Map<String, String> flags;

  private ConfigSource(
      Map<String, String> env, Map<String, String> file, Map<String, String> flags) {
    this.env = Map.copyOf(env);
    this.file = Map.copyOf(file);
    this.flags = Map.copyOf(flags);
  }

  /** The process environment, an optional properties file, and {@code --key=value} style flags. */
  public static ConfigSource load(Path propertiesFile, Map<String, String> flags) {
    return new ConfigSource(System.getenv(), readProperties(propertiesFile), flags);
  }

  /** Only the given values (tests, embedded use). */
  public static ConfigSource of(Map<String, String> values) {
    return new ConfigSource(Map.of(), Map.of(), values);
  }

  /** A copy with {@code overrides} on top. */
  public ConfigSource with(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(flags);
    merged.putAll(overrides);
    return new ConfigSource(env, file, merged);
  }

  public String get(ConfigKey key) {
    String v = flags.get(key.name());
    if (v == null) {
      v = file.get(key.name());
    }
    if (v == null) {
      v = env.get(key.envVar());
    }
    if (v == null) {
      v = key.defaultValue();
    }
    if (v == null) {
      throw new ConfigException(
          "missing required setting " + key.name() + " (env " + key.envVar() + ")");
    }
    return v.trim();
  }

  public int getInt(ConfigKey key) {
    String v = get(key);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(key.name() + " must be an integer, got '" + v + "'");
    }
  }

  public double getDouble(ConfigKey key) {
    String v = get(key);
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(key.name() + " must be a number, got '" + v + "'");
    }
  }

  public boolean getBoolean(ConfigKey key) {
    String v = get(key);
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw new ConfigException(key.name() + " must be true or false, got '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }

  /** A duration written as ISO-8601 ({@code PT30S}) or a number with unit: 500ms, 30s, 5m, 1h. */
  public Duration getDuration(ConfigKey key) {
    String v = get(key);
    try {
      return Durations.parse(v);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key.name() + ": " + e.getMessage());
    }
  }

  private static Map<String, String> readProperties(Path path) {
    Map<String, String> out = new HashMap<>();
    if (path == null) {
      return out;
    }
    if (!Files.isRegularFile(path)) {
      throw new ConfigException("config file " + path + " does not exist");
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(path)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + path, e);
    }
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }
}
