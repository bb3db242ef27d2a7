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
  private final int offset;

  private BatchPlan(List<GenerationRequest> requests, long[] seeds, List<Row> rows, int offset) {
    this.requests = requests;
    this.seeds = seeds;
    this.rows = rows;
    this.offset = offset;
  }

  /** Resolves missing seeds with {@code randomSeeds} and lays out the rows. */
  static BatchPlan of(List<GenerationRequest> requests, LongSupplier randomSeeds) {
    long[] seeds = new long[requests.size()];
    for (int r = 0; r < requests.size(); r++) {
      GenerationRequest req = requests.get(r);
      seeds[r] = req.seed() != null ? req.seed() : randomSeeds.getAsLong() & Long.MAX_VALUE;
    }
    return of(requests, seeds);
  }

  /** Lays out the rows of requests whose seeds are already resolved. */
  static BatchPlan of(List<GenerationRequest> requests, long[] seeds) {
    return of(requests, seeds, 0);
  }

  private static BatchPlan of(List<GenerationRequest> requests, long[] seeds, int offset) {
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < requests.size(); r++) {
      GenerationRequest req = requests.get(r);
      for (int i = 0; i < req.images(); i++) {
        rows.add(new Row(r, i, seeds[r] + i));
      }
    }
    return new BatchPlan(List.copyOf(requests), seeds, List.copyOf(rows), offset);
  }

  List<GenerationRequest> requests() {
    return requests;
  }

  /**
   * The index of request {@code r} of this plan in the list given to {@code generate} (a
   * micro-batch or an out-of-memory half starts further in).
   */
  int callerIndex(int r) {
    return offset + r;
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

  /**
   * Rows the samplers run per image row: 2 when either stage guides (cfg > 1: conditional and
   * unconditional rows), else 1.
   */
  int cfgFactor() {
    GenerationRequest q = first();
    return q.prior().guidance() > 1 || q.decoder().guidance() > 1 ? 2 : 1;
  }

  /** Rows of the largest sampler batch: images x {@link #cfgFactor()}. */
  int sampledRows() {
    return size() * cfgFactor();
  }

  /** Requests {@code from} (inclusive) to {@code to} (exclusive) with their resolved seeds. */
  BatchPlan sub(int from, int to) {
    return of(
        requests.subList(from, to), java.util.Arrays.copyOfRange(seeds, from, to), offset + from);
  }

  /**
   * Consecutive micro-batches of whole requests, each within {@code limits} ({@link
   * MicroBatchLimits#fits}); a request that alone exceeds them forms its own micro-batch.
   */
  List<BatchPlan> split(MicroBatchLimits limits) {
    List<BatchPlan> out = new ArrayList<>();
    int start = 0;
    for (int end = 1; end <= requests.size(); end++) {
      if (end - start > 1 && !limits.fits(sub(start, end))) {
        out.add(sub(start, end - 1));
        start = end - 1;
      }
    }
    out.add(sub(start, requests.size()));
    return out;
  }
}
