package io.cascadefarm.dispatcher.api;

/**
 * One bad field: its path in the request ({@code jobs[3].width}, {@code lines[7].prompt}) and why.
 * {@code line} is the 1-based NDJSON line when the body was NDJSON, else null.
 */
public record FieldError(String field, String message, Integer line) {
  public FieldError(String field, String message) {
    this(field, message, null);
  }
}
