package io.cascadefarm.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The soak's chaos thread: every {@code interval} it SIGKILLs a random warm worker ({@link
 * WorkerPool#warmIds()}; only while at least two are warm, so the farm keeps rendering) and starts
 * a replacement at once.
 */
final class Chaos implements AutoCloseable {
  /** One kill: which worker, when. */
  record Kill(String worker, Instant at) {}

  final List<Kill> kills = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  Chaos(WorkerPool pool, Duration interval, long seed) {
    Random random = new Random(seed);
    thread =
        new Thread(
            () -> {
              while (running) {
                try {
                  Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
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
