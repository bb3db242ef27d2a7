package io.cascadefarm.faults;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Poll-until with a deadline; the only way the suite waits for anything. */
final class Await {
  private Await() {}

  static void until(String what, Duration limit, BooleanSupplier done) {
    until(what, limit, done, () -> "");
  }

  /** Polls {@code done} every 200 ms; fails with {@code what} and {@code state} after limit. */
  static void until(String what, Duration limit, BooleanSupplier done, Supplier<String> state) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!safely(done)) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + limit.toSeconds() + " s waiting for " + what + " " + state.get());
      }
      sleep(200);
    }
  }

  private static boolean safely(BooleanSupplier done) {
    try {
      return done.getAsBoolean();
    } catch (RuntimeException e) {
      return false; // a service may be down on purpose: try again
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
