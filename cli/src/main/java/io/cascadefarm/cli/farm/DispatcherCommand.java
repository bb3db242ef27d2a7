package io.cascadefarm.cli.farm;

import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farm dispatcher}: the HTTP API, outbox relay and lease reaper until SIGTERM. */
@Command(
    name = "dispatcher",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the HTTP API, the outbox relay and the lease reaper against the configured services.",
      "Settings: environment, then --config FILE, then flags (later wins)."
    })
public final class DispatcherCommand implements Callable<Integer> {
  @Option(names = "--config", description = "Properties file, e.g. farm-data/farm.properties")
  Path config;

  @Option(names = "--port", description = "HTTP API port (overrides farm.http.port)")
  Integer port;

  @Option(names = "--set", description = "Any documented farm.* setting, e.g. --set k=v")
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> flags = new LinkedHashMap<>(settings);
    if (port != null) {
      flags.put(DispatcherConfig.PORT.name(), String.valueOf(port));
    }
    DispatcherConfig c = DispatcherConfig.from(ConfigSource.load(config, flags));
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch stop = Signals.termination(stopped);
    try (Dispatcher d = Dispatchers.fromConfig(c)) {
      int bound = d.start();
      System.out.println("dispatcher: API on http://localhost:" + bound + "/v1 (SIGTERM stops)");
      stop.await();
      System.out.println("dispatcher: stopping");
    } finally {
      stopped.countDown();
    }
    return 0;
  }
}
