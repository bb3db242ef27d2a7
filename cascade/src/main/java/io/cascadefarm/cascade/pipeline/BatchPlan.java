package io.cascadefarm.cascade.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * How a list of compatible requests maps onto batch rows: request {@code r} with {@code n} images
 * occupies {@code n} consecutive rows whose seeds are {@code seed_r + i}. The rows of one request
 * form one guidance group.
 */
final class BatchPlan {
  /** One batch row: which request and image it renders, with its seed. */
  record Row(int request, int image, long seed) {}

  private final List<GenerationRequest> requests;
  private final long[] seeds;
  private final List<Row> rows;

  private BatchPlan(List<GenerationRequest> requests, long[] seeds, List<Row> rows) {
    this.requests = requests;
    this.seeds = seeds;
    this.rows = rows;
  }

  /** Resolves missing seeds with {@code randomSeeds} and lays out the rows. */
  static BatchPlan of(List<GenerationRequest> requests, LongSupplier randomSeeds) {
    long[] seeds = new long[requests.size()];
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < requests.size(); r++) {
      GenerationRequest req = requests.get(r);
      seeds[r] = req.seed() != null ? req.seed() : randomSeeds.getAsLong() & Long.MAX_VALUE;
      for (int i = 0; i < req.images(); i++) {
        rows.add(new Row(r, i, seeds[r] + i));
      }
    }
    return new BatchPlan(List.copyOf(requests), seeds, List.copyOf(rows));
  }

  List<GenerationRequest> requests() {
    return requests;
  }

  /** The shared settings (every request of a batch has the same batch key). */
  GenerationRequest first() {
    return requests.get(0);
  }

  long seed(int request) {
    return seeds[request];
  }

  List<Row> rows() {
    return rows;
  }

  int size() {
    return rows.size();
  }

  long[] rowSeeds() {
    return rows.stream().mapToLong(Row::seed).toArray();
  }

  GenerationRequest request(Row row) {
    return requests.get(row.request());
  }

  List<String> prompts() {
    return rows.stream().map(r -> request(r).prompt()).toList();
  }

  List<String> negativePrompts() {
    return rows.stream().map(r -> request(r).negativePrompt()).toList();
  }

  /** Rows per request, in order: the guidance groups. */
  int[] groups() {
    return requests.stream().mapToInt(GenerationRequest::images).toArray();
  }
}
