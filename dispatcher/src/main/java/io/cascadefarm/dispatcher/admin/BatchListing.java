package io.cascadefarm.dispatcher.admin;

import io.cascadefarm.common.port.BatchSummary;
import io.cascadefarm.common.port.FarmInsights;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.service.BatchView;
import io.cascadefarm.dispatcher.service.StoreGuard;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/batches}: the tenant's batches, newest first, each as {@code GET /v1/batches/{id}}
 * shows it; {@code next} is the {@code before} of the next page.
 */
public final class BatchListing {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 200;
  private final FarmInsights insights;

  public BatchListing(FarmInsights insights) {
    this.insights = insights;
  }

  public Map<String, Object> list(String tenant, String limitParam, String beforeParam) {
    if (insights == null) {
      throw ApiException.unavailable("this dispatcher cannot list batches", 30);
    }
    int limit = DEFAULT_LIMIT;
    if (limitParam != null && !limitParam.isEmpty()) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw ApiException.invalidField("limit", "must be an integer from 1 to " + MAX_LIMIT);
      }
    }
    Instant before = null;
    if (beforeParam != null && !beforeParam.isEmpty()) {
      try {
        before = Instant.parse(beforeParam);
      } catch (DateTimeParseException e) {
        throw ApiException.invalidField("before", "must be an ISO-8601 instant");
      }
    }
    int n = limit;
    Instant b = before;
    List<BatchSummary> page =
        StoreGuard.call("list batches", () -> insights.listBatches(tenant, n, b));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("batches", page.stream().map(BatchView::of).toList());
    if (page.size() == limit) {
      out.put("next", page.get(page.size() - 1).createdAt().toString());
    }
    return out;
  }
}
