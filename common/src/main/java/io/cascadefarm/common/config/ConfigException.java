package io.cascadefarm.common.config;

/** A configuration value is missing or malformed; the message names the key and its source. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
