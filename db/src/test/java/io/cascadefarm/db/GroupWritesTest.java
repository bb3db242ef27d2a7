package io.cascadefarm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.job.ResultImage;
import io.cascadefarm.common.port.ClaimedJob;
import io.cascadefarm.common.port.Completion;
import io.cascadefarm.common.port.NewJob;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A render group's writes are one round trip each, whatever the group's size: claim (with the
 * jobs), heartbeat, progress with the cancellation check, success. Counted on the JDBC connection.
 */
class GroupWritesTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private final StatementCounter counter = new StatementCounter();
  private JdbcJobStore store;

  @BeforeEach
  void setUp() {
    TestDb.reset();
    store =
        new JdbcJobStore(
            counter.wrap(TestDb.database().dataSource()),
            Clock.systemUTC(),
            Duration.ofSeconds(30));
  }

  private <T> T roundTrips(long expected, Supplier<T> call) {
    StatementCounter.Counts before = counter.counts();
    T out = call.get();
    assertEquals(expected, counter.counts().minus(before).roundTrips());
    return out;
  }

  @Test
  void everyGroupWriteIsOneRoundTripForFourJobs() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      NewJob job = TestJobs.job("group " + i, 3);
      store.submit(job, null, null);
      ids.add(job.id());
    }
    List<ClaimedJob> claimed = roundTrips(1, () -> store.claimAll(ids, "w1", LEASE));
    assertEquals(4, claimed.size());
    List<Lease> leases = claimed.stream().map(ClaimedJob::lease).toList();
    assertEquals(4, roundTrips(1, () -> store.heartbeatAll(leases, LEASE)).size());
    assertEquals(
        4, roundTrips(1, () -> store.sync(leases, new JobProgress("prior", 1, 20))).size());
    assertEquals(4, roundTrips(1, () -> store.sync(leases, null)).size());
    List<Completion> done =
        leases.stream()
            .map(
                l ->
                    new Completion(
                        l,
                        new JobResult(
                            List.of(new ResultImage(l.jobId() + ".png", 8, 8, 1, null, null)))))
            .toList();
    assertEquals(4, roundTrips(1, () -> store.succeedAll(done)).size());
  }

  @Test
  void aSingleClaimIsOneRoundTripToo() {
    NewJob job = TestJobs.job("alone", 3);
    store.submit(job, null, null);
    assertEquals(1, roundTrips(1, () -> store.claim(job.id(), "w1", LEASE)).stream().count());
  }

  @Test
  void statementsAreCountedByOperation() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      NewJob job = TestJobs.job("counted " + i, 3);
      store.submit(job, null, null);
      ids.add(job.id());
    }
    StatementCounter.Counts before = counter.counts();
    List<Lease> leases = store.claimAll(ids, "w1", LEASE).stream().map(ClaimedJob::lease).toList();
    store.sync(leases, new JobProgress("prior", 1, 20));
    store.heartbeatAll(leases, LEASE);
    StatementCounter.Counts d = counter.counts().minus(before);
    assertEquals(1, d.statements("claim"));
    assertEquals(1, d.statements("sync"));
    assertEquals(1, d.statements("heartbeat"));
    assertEquals(0, d.statements("succeed"));
    assertEquals(3, d.statements());
  }
}
