package io.cascadefarm.faults;

import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The dispatcher as its own OS process (so the suite can SIGKILL it): {@code <config file>} holds
 * the {@code farm.*} keys; it serves until killed or SIGTERMed.
 */
public final class FaultDispatcherMain {
  private FaultDispatcherMain() {}

  public static void main(String[] args) throws InterruptedException {
    DispatcherConfig config = DispatcherConfig.from(ConfigSource.load(Path.of(args[0]), Map.of()));
    Dispatcher d = Dispatchers.fromConfig(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  d.close();
                  stopped.countDown();
                }));
    System.out.println("dispatcher listening on " + d.start());
    stopped.await();
  }
}
