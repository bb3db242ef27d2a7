package io.cascadefarm.cascade.pipeline;

import java.util.Map;
import java.util.function.Supplier;

/** Records wall-clock milliseconds of named stages into a map. */
final class Timer {
  private final Map<String, Long> millis;

  Timer(Map<String, Long> millis) {
    this.millis = millis;
  }

  <T> T time(String stage, Supplier<T> body) {
    long start = System.nanoTime();
    try {
      return body.get();
    } finally {
      millis.merge(stage, (System.nanoTime() - start) / 1_000_000, Long::sum);
    }
  }
}
