package io.cascadefarm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.port.ApiKey;
import io.cascadefarm.common.port.NewJob;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeyAndUsageTest {
  private JdbcJobStore store;

  @BeforeEach
  void setUp() {
    TestDb.reset();
    store = TestDb.database().jobStore();
  }

  @Test
  void keysAreCreatedFoundListedAndRevokedOnce() {
    ApiKey a = store.createKey("acme", "ci", "aa".repeat(32));
    ApiKey b = store.createKey("globex", "laptop", "bb".repeat(32));
    assertEquals(List.of(a.id(), b.id()), store.listKeys().stream().map(ApiKey::id).toList());
    ApiKey found = store.findKey("aa".repeat(32)).orElseThrow();
    assertEquals("acme", found.tenant());
    assertEquals("ci", found.name());
    assertNull(found.revokedAt());
    assertTrue(store.revokeKey(a.id()));
    assertFalse(store.revokeKey(a.id()), "second revoke changes nothing");
    assertFalse(store.revokeKey(UUID.randomUUID()));
    assertTrue(store.findKey("aa".repeat(32)).orElseThrow().revoked());
    assertFalse(store.findKey("bb".repeat(32)).orElseThrow().revoked());
    assertTrue(store.findKey("cc".repeat(32)).isEmpty());
  }

  @Test
  void aDuplicateHashIsRefusedByName() {
    store.createKey("acme", "one", "dd".repeat(32));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> store.createKey("x", "two", "dd".repeat(32)));
    assertTrue(e.getMessage().contains("API key"), e.getMessage());
  }

  @Test
  void unfinishedJobsCountQueuedAndRunningOfOneTenantOnly() {
    NewJob first = TestJobs.job("one", 1);
    store.submit(first, null, null);
    store.submit(TestJobs.job("two", 1), null, null);
    store.submit(TestJobs.job("three", 1), null, null);
    assertEquals(3, store.unfinishedJobs(TestJobs.TENANT));
    assertEquals(0, store.unfinishedJobs("someone-else"));
    Lease lease = store.claim(first.id(), "w1", Duration.ofSeconds(30)).orElseThrow();
    assertEquals(3, store.unfinishedJobs(TestJobs.TENANT), "running still counts");
    assertTrue(store.succeed(lease, new JobResult(List.of())));
    assertEquals(2, store.unfinishedJobs(TestJobs.TENANT));
  }
}
