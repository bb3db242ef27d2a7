package io.cascadefarm.worker;

import io.cascadefarm.worker.testing.PngRenderer;

/**
 * A worker OS process for the signal tests: {@link WorkerMain} with the PNG-drawing test renderer,
 * 10 denoising steps of {@code -Dfarm.test.step-millis} (default 300) each.
 */
public final class TestWorkerMain {
  private TestWorkerMain() {}

  public static void main(String[] args) {
    long stepMillis = Long.getLong("farm.test.step-millis", 300);
    System.exit(
        WorkerMain.run(
            args,
            config -> {
              PngRenderer r = new PngRenderer(10);
              r.onStep(
                  s -> {
                    try {
                      Thread.sleep(stepMillis);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
              return r;
            }));
  }
}
