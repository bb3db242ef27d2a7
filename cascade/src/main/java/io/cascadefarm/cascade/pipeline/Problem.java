package io.cascadefarm.cascade.pipeline;

/** One validation problem of a request: the offending field and what is wrong with it. */
public record Problem(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
