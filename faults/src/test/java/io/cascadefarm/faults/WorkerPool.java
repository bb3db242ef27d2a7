package io.cascadefarm.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The farm's worker OS processes ({@link FaultWorkerMain}), each with a fresh id ({@code w1},
 * {@code w2}, ...: a restarted worker is a new worker in the job history).
 */
final class WorkerPool {
  private final FaultFarm farm;
  private final Map<String, ChildJvm> live = new ConcurrentHashMap<>();
  private final AtomicInteger serial = new AtomicInteger();

  WorkerPool(FaultFarm farm) {
    this.farm = farm;
  }

  /** Starts one worker process (not waiting for it); {@code extra} overrides settings. */
  ChildJvm start(Map<String, String> extra) {
    return start(extra, List.of());
  }

  /** Starts one worker process with {@code extra} settings and extra JVM options. */
  ChildJvm start(Map<String, String> extra, List<String> jvmOptions) {
    String id = "w" + serial.incrementAndGet();
    Map<String, String> m = farm.settings();
    m.put("farm.worker.id", id);
    m.putAll(extra);
    Path dir = farm.profile.dir();
    Path config = FaultFarm.writeProperties(dir.resolve("workers").resolve(id + ".properties"), m);
    ChildJvm w =
        ChildJvm.start(
            id,
            dir.resolve("logs"),
            FaultWorkerMain.class,
            Stream.concat(
                    jvmOptions.stream(),
                    Stream.of(
                        "-Xmx768m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Dai.djl.offline=true",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn",
                        "-Dorg.slf4j.simpleLogger.log.ai.djl=warn",
                        "-Dfarm.faults.renderer=" + farm.profile.renderer(),
                        "-Dfarm.faults.tiny-cache=" + dir.resolve("tiny-cache")))
                .toList(),
            List.of("--config", config.toString()));
    live.put(id, w);
    return w;
  }

  /** Starts workers until {@code n} are alive, then waits until each one is consuming. */
  void ensure(int n) {
    live.values().removeIf(w -> !w.isAlive());
    List<ChildJvm> started = new ArrayList<>();
    while (live.size() < n) {
      started.add(start(Map.of()));
    }
    started.forEach(WorkerPool::awaitReady);
  }

  /** Ids of the worker processes that are alive now. */
  java.util.Set<String> aliveIds() {
    java.util.Set<String> ids = new java.util.TreeSet<>();
    live.forEach(
        (id, w) -> {
          if (w.isAlive()) {
            ids.add(id);
          }
        });
    return ids;
  }

  /**
   * Waits until the workers' consumer group, as the dispatcher reads it to steer retries, is
   * exactly the live workers, each consuming at least one partition (no rebalance in progress).
   */
  void awaitSettledGroup(Duration limit) {
    try (io.cascadefarm.infra.kafka.WorkerAssignments group =
        io.cascadefarm.infra.kafka.WorkerAssignments.connect(
            farm.bootstrap(), farm.workerGroup(), farm.jobsTopic())) {
      Await.until(
          "the worker group to settle on " + aliveIds(),
          limit,
          () -> {
            Map<String, List<Integer>> m = group.current();
            return m.keySet().equals(aliveIds()) && m.values().stream().noneMatch(List::isEmpty);
          },
          () -> group.current().toString());
    }
  }

  /** Waits until the worker logged that it runs (adapters up, consumer started). */
  static void awaitReady(ChildJvm w) {
    Await.until(
        w.name + " to start",
        Duration.ofSeconds(240),
        () -> {
          if (!w.isAlive()) {
            throw new AssertionError(w + " exited during start");
          }
          return logContains(w.log, "worker(s) running as");
        },
        w::toString);
  }

  /**
   * Ids of workers that are alive and warm: consuming, and (tiny renderer) their model loaded, so
   * they have rendered. The chaos thread kills only these: on this 2-core machine a new worker
   * needs tens of seconds (JVM, PyTorch, model) before it renders, and killing it earlier would
   * only measure start-up.
   */
  List<String> warmIds() {
    String marker =
        farm.profile.renderer().equals("tiny") ? "loaded model tiny" : "worker(s) running as";
    return live.entrySet().stream()
        .filter(e -> e.getValue().isAlive() && logContains(e.getValue().log, marker))
        .map(Map.Entry::getKey)
        .toList();
  }

  private static boolean logContains(Path log, String text) {
    try {
      return Files.exists(log) && Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** SIGKILLs the worker and forgets it. */
  void kill(String id) {
    ChildJvm w = live.remove(id);
    if (w != null) {
      w.sigkill();
    }
  }

  /** Forgets the worker without signalling it (the caller stops it). */
  ChildJvm remove(String id) {
    return live.remove(id);
  }

  void killAll() {
    List.copyOf(live.keySet()).forEach(this::kill);
  }
}
