package io.cascadefarm.cascade.tools.parity;

/** A fixture description is missing a field or names something that does not exist. */
public class FixtureFormatException extends RuntimeException {
  public FixtureFormatException(String message) {
    super(message);
  }

  public FixtureFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
