package io.cascadefarm.dispatcher.api;

import io.cascadefarm.common.contract.Problems;

/** Where errors found while reading one part of a body belong: one job item, or the request. */
public record ErrorScope(FieldErrors errors, int item, boolean ndjson) implements Problems {

  /** The request-level scope (envelope, {@code defaults}). */
  public static ErrorScope request(FieldErrors errors) {
    return new ErrorScope(errors, -1, false);
  }

  @Override
  public void add(String field, String message) {
    if (item < 0) {
      errors.add(field, message);
    } else {
      errors.addForItem(item, field, message, ndjson);
    }
  }
}
