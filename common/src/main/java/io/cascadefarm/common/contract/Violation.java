package io.cascadefarm.common.contract;

/** One way a job breaks the contract: the field's path and why. */
public record Violation(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
