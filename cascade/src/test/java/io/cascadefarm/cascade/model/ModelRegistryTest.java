package io.cascadefarm.cascade.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {

  private static CascadeModels fake(String name) {
    return new CascadeModels(
        name,
        name,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        NDManager.newBaseManager(),
        42);
  }

  @Test
  void concurrentCallersShareOneLoad() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    ModelLoader slow =
        variant -> {
          loads.incrementAndGet();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return fake(variant);
        };
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (ModelRegistry registry = new ModelRegistry(slow)) {
      List<Future<CascadeModels>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        futures.add(pool.submit(() -> registry.get("lite")));
      }
      Thread.sleep(200);
      assertFalse(registry.isLoaded("lite"));
      release.countDown();
      CascadeModels first = futures.get(0).get(10, TimeUnit.SECONDS);
      for (Future<CascadeModels> f : futures) {
        assertSame(first, f.get(10, TimeUnit.SECONDS));
      }
      assertEquals(1, loads.get());
      assertTrue(registry.isLoaded("lite"));
      assertEquals(42, registry.loadMillis("lite"));
      assertEquals(-1, registry.loadMillis("big"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedLoadIsRetriedOnTheNextCall() {
    AtomicInteger calls = new AtomicInteger();
    ModelLoader flaky =
        variant -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("disk hiccup");
          }
          return fake(variant);
        };
    try (ModelRegistry registry = new ModelRegistry(flaky)) {
      assertThrows(IllegalStateException.class, () -> registry.get("big"));
      assertFalse(registry.isLoaded("big"));
      assertEquals("big", registry.get("big").name());
    }
  }

  @Test
  void unknownVariantsAndClosedRegistriesAreRejected() {
    ModelRegistry registry = new ModelRegistry(ModelRegistryTest::fake);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> registry.get("huge"));
    assertTrue(e.getMessage().contains("huge"));
    registry.close();
    assertThrows(IllegalStateException.class, () -> registry.get("tiny"));
  }
}
