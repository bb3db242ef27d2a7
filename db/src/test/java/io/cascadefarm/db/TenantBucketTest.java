package io.cascadefarm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.port.NewBatch;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.common.port.TenantLimitException;
import io.cascadefarm.common.port.TenantLimitException.Limit;
import io.cascadefarm.common.port.TenantLimits;
import io.cascadefarm.db.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The farm-wide submit bucket in {@code tenant_limits}: burst, refill rate, debt after a big batch,
 * and clock skew between two stores (two dispatchers) on one database, on hand-moved clocks.
 */
class TenantBucketTest {
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  static final TenantLimits LIMITS = new TenantLimits(1_000_000, 2, 5);

  ManualClock clock;
  JdbcJobStore store;
  String tenant;

  @BeforeEach
  void setUp() {
    clock = new ManualClock(T0);
    store = storeOn(clock);
    tenant = "bucket-" + UUID.randomUUID(); // bucket rows outlive TestDb.reset
  }

  static JdbcJobStore storeOn(ManualClock clock) {
    return new JdbcJobStore(TestDb.database().dataSource(), clock, Duration.ofSeconds(30))
        .limitedBy(LIMITS);
  }

  void submit(JdbcJobStore s) {
    s.submit(TestJobs.job(tenant, "bucket", 3), null, null);
  }

  TenantLimitException refused(JdbcJobStore s) {
    TenantLimitException e = assertThrows(TenantLimitException.class, () -> submit(s));
    assertEquals(Limit.SUBMIT_RATE, e.limit());
    return e;
  }

  long jobs() {
    return TestDb.count("SELECT count(*) FROM jobs WHERE tenant = '" + tenant + "'");
  }

  @Test
  void theBurstPassesThenTheRateRefillsAndARefusalStoresNothing() {
    for (int i = 0; i < 5; i++) {
      submit(store);
    }
    assertEquals(1, refused(store).waitSeconds(), "1 token at 2/s: 0.5 s, rounded up");
    assertEquals(5, jobs());
    clock.advance(Duration.ofMillis(500));
    submit(store);
    refused(store);
    clock.advance(Duration.ofSeconds(10)); // refills to the burst, not beyond
    for (int i = 0; i < 5; i++) {
      submit(store);
    }
    refused(store);
    assertEquals(11, jobs());
  }

  @Test
  void aBatchBiggerThanTheBurstPassesOnAFullBucketAndLeavesADebt() {
    store.submitBatch(batch(12));
    TenantLimitException e = refused(store);
    assertEquals(4, e.waitSeconds(), "7 jobs of debt + 1 at 2/s");
    clock.advance(Duration.ofMillis(3_900));
    refused(store);
    clock.advance(Duration.ofMillis(100));
    submit(store);
    assertEquals(13, jobs());
  }

  @Test
  void aLaggingClockRefillsNothingAndDoesNotMoveTheRefillTimeBack() {
    ManualClock behind = new ManualClock(T0.minusSeconds(10));
    JdbcJobStore other = storeOn(behind);
    for (int i = 0; i < 5; i++) {
      submit(store);
    }
    refused(other);
    behind.advance(Duration.ofSeconds(9)); // still 1 s behind the last take
    refused(other);
    clock.advance(Duration.ofSeconds(1)); // 2 tokens, counted from T0, not from T0 - 1 s
    submit(store);
    submit(other);
    refused(store);
    refused(other);
    assertEquals(7, jobs());
  }

  @Test
  void concurrentSubmitsFromSeveralStoresTakeExactlyTheBurst() throws Exception {
    List<JdbcJobStore> stores = List.of(store, storeOn(clock), storeOn(clock));
    List<Thread> threads = new ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger accepted =
        new java.util.concurrent.atomic.AtomicInteger();
    for (int t = 0; t < 6; t++) {
      JdbcJobStore s = stores.get(t % stores.size());
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < 4; i++) {
                  try {
                    submit(s);
                    accepted.incrementAndGet();
                  } catch (TenantLimitException e) {
                    assertEquals(Limit.SUBMIT_RATE, e.limit());
                  }
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(5, accepted.get());
    assertEquals(5, jobs());
  }

  @Test
  void aReplayedIdempotentSubmitIsNeitherCountedNorRefused() {
    NewJob job = TestJobs.job(tenant, "once", 3);
    store.submit(job, "key-1", "hash-1");
    for (int i = 0; i < 4; i++) {
      submit(store);
    }
    assertTrue(store.submit(job, "key-1", "hash-1").replayed());
    refused(store);
    assertEquals(5, jobs());
  }

  NewBatch batch(int n) {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      jobs.add(TestJobs.job(tenant, "batch " + i, 3));
    }
    return new NewBatch(UUID.randomUUID(), tenant, jobs, Map.of());
  }
}
