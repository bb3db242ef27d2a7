package io.cascadefarm.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * The soak's chaos thread: it SIGKILLs a random warm worker ({@link WorkerPool#warmIds()}; only
 * while at least two are warm, so the farm keeps rendering) and starts a replacement at once. A
 * kill is due every {@code interval}, and also each time another {@value #PROGRESS_STEPS}th of the
 * jobs has finished, so that a fast machine, which may render the whole short soak within one
 * interval, still sees kills in the middle of the batch.
 */
final class Chaos implements AutoCloseable {
  /** One kill: which worker, when. */
  record Kill(String worker, Instant at) {}

  static final int PROGRESS_STEPS = 4;
  private static final long POLL_MILLIS = 20;

  final List<Kill> kills = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  Chaos(WorkerPool pool, Duration interval, long seed, IntSupplier finished, int total) {
    Random random = new Random(seed);
    thread =
        new Thread(
            () -> {
              Instant nextByTime = Instant.now().plus(interval);
              int nextByProgress = Math.max(1, total / PROGRESS_STEPS);
              while (running) {
                try {
                  Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                  return;
                }
                boolean timeDue = !Instant.now().isBefore(nextByTime);
                boolean progressDue =
                    nextByProgress < total && finished.getAsInt() >= nextByProgress;
                if (!timeDue && !progressDue) {
                  continue;
                }
                if (progressDue) {
                  nextByProgress += Math.max(1, total / PROGRESS_STEPS);
                }
                nextByTime = Instant.now().plus(interval);
                List<String> ready = pool.warmIds();
                if (!running || ready.size() < 2) {
                  continue;
                }
                String victim = ready.get(random.nextInt(ready.size()));
                kills.add(new Kill(victim, Instant.now()));
                pool.kill(victim);
                pool.start(Map.of());
              }
            },
            "faults-chaos");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(120_000);
  }
}
