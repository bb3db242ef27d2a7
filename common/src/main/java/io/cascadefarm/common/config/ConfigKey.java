package io.cascadefarm.common.config;

import java.util.Locale;

/**
 * One documented configuration key, e.g. {@code farm.db.url}. Its environment variable is derived:
 * upper case with dots and dashes as underscores ({@code FARM_DB_URL}). {@code defaultValue} null
 * means "required".
 */
public record ConfigKey(String name, String defaultValue, String description) {

  public String envVar() {
    return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
