package io.cascadefarm.db.testing;

import io.cascadefarm.common.port.JobStore;
import java.time.Clock;
import java.time.Duration;

/** The contract on the in-memory test store. */
class InMemoryJobStoreTest extends JobStoreContractTest {
  @Override
  protected JobStore newStore(Clock clock, Duration outboxClaim) {
    return new InMemoryJobStore(clock, outboxClaim);
  }
}
