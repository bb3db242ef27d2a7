package io.cascadefarm.db;

import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.db.testing.JobStoreContractTest;
import java.time.Clock;
import java.time.Duration;

/** The contract on PostgreSQL: the store the farm runs on. */
class PostgresJobStoreContractTest extends JobStoreContractTest {
  @Override
  protected JobStore newStore(Clock clock, Duration outboxClaim) {
    TestDb.reset();
    return new JdbcJobStore(TestDb.database().dataSource(), clock, outboxClaim);
  }
}
