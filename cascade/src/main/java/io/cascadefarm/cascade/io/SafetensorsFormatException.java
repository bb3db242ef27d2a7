package io.cascadefarm.cascade.io;

/** Thrown when a safetensors file is truncated, malformed or asked for something it lacks. */
public class SafetensorsFormatException extends RuntimeException {
  public SafetensorsFormatException(String message) {
    super(message);
  }

  public SafetensorsFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
