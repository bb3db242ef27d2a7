package io.cascadefarm.dispatcher.service;

import io.cascadefarm.dispatcher.api.ApiException;

/** The {@code limit} query parameter of listings. */
final class Limits {
  private Limits() {}

  /** {@code limit}: absent means {@link JobQueries#DEFAULT_PAGE}; else 1 to MAX_PAGE, or 400. */
  static int page(String limit) {
    if (limit == null || limit.isEmpty()) {
      return JobQueries.DEFAULT_PAGE;
    }
    try {
      int n = Integer.parseInt(limit);
      if (n >= 1 && n <= JobQueries.MAX_PAGE) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ApiException.invalidField(
        "limit", "must be an integer between 1 and " + JobQueries.MAX_PAGE);
  }
}
