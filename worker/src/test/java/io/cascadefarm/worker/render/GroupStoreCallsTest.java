package io.cascadefarm.worker.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.worker.testing.Fixtures;
import io.cascadefarm.worker.testing.PngRenderer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A group of compatible jobs costs one store call to claim and one to complete, not one per job.
 */
class GroupStoreCallsTest {
  private final ExecutorFixture fixture = new ExecutorFixture();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  @AfterEach
  void close() {
    fixture.close();
  }

  /** The fixture's store, counting the port calls made through it by method name. */
  private JobStore counting() {
    return (JobStore)
        Proxy.newProxyInstance(
            JobStore.class.getClassLoader(),
            new Class<?>[] {JobStore.class},
            (proxy, method, args) -> {
              calls.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
              try {
                return method.invoke(fixture.store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private int count(String method) {
    return calls.getOrDefault(method, new AtomicInteger()).get();
  }

  @Test
  void aGroupOfFourIsClaimedAndCompletedInOneCallEach() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(fixture.store.add(Fixtures.small("group " + i, 48, 32), 3));
    }
    BatchExecutor ex =
        fixture.executor(
            counting(), new PngRenderer(1), Finisher.direct(), "farm.worker.batch-size", "4");
    ex.handle(ids.stream().map(fixture::msg).toList());

    ids.forEach(id -> assertEquals(JobStatus.SUCCEEDED, fixture.store.get(id).status()));
    assertEquals(1, count("claimAll"), "claims: " + calls);
    assertEquals(0, count("claim") + count("find"), "no per-job claim or read: " + calls);
    assertEquals(1, count("succeedAll"), "completions: " + calls);
    assertEquals(0, count("succeed"), "no per-job completion: " + calls);
  }

  @Test
  void progressAndCancelChecksAreOneCallPerGroup() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(fixture.store.add(Fixtures.small("progress " + i, 48, 32), 3));
    }
    BatchExecutor ex =
        fixture.executor(
            counting(), new PngRenderer(3), Finisher.direct(), "farm.worker.batch-size", "4");
    ex.handle(ids.stream().map(fixture::msg).toList());

    ids.forEach(id -> assertEquals(JobStatus.SUCCEEDED, fixture.store.get(id).status()));
    assertTrue(count("sync") >= 3, "one sync per step (no pacing here): " + calls);
    assertEquals(0, count("progress") + count("status"), "no per-job writes or reads: " + calls);
    assertTrue(
        fixture.store.progressLog().size() >= 4 * 3, "every job's progress stored: " + calls);
  }
}
