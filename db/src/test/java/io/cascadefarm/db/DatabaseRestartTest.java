package io.cascadefarm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL going away and coming back (its own server, stopped and started on the same port and
 * data): a process may start first, store calls fail with {@link StoreUnavailableException} while
 * the server is down, and the pool reconnects by itself after.
 */
class DatabaseRestartTest {
  private static final Duration WAIT = Duration.ofSeconds(1);
  private static EmbeddedPostgres pg;

  @BeforeAll
  static void startServer() {
    pg = EmbeddedPostgres.builder().build().start();
  }

  @AfterEach
  void serverIsUpAgain() {
    pg.start();
  }

  @AfterAll
  static void closeServer() {
    pg.close();
  }

  @Test
  void migrateWaitsForAServerThatStartsLater() throws Exception {
    pg.stop();
    try (Database db = Database.create(TestDb.settings(pg), WAIT)) {
      CompletableFuture<Void> later =
          CompletableFuture.runAsync(
              () -> {
                sleep(1500);
                pg.start();
              });
      db.migrate(Duration.ofSeconds(60));
      later.get();
      NewJob job = TestJobs.job("after start", 3);
      db.jobStore().submit(job, null, null);
      assertTrue(db.jobStore().find(job.id()).isPresent());
    }
  }

  @Test
  void storeCallsReportUnavailabilityAndRecoverAfterARestart() {
    try (Database db = Database.create(TestDb.settings(pg), WAIT)) {
      db.migrate();
      JdbcJobStore store = db.jobStore();
      NewJob before = TestJobs.job("before", 3);
      store.submit(before, null, null);

      pg.stop();
      StoreUnavailableException down =
          assertThrows(StoreUnavailableException.class, () -> store.find(before.id()));
      assertTrue(down.getMessage().contains("unavailable"), down.getMessage());
      assertThrows(
          StoreUnavailableException.class,
          () -> store.submit(TestJobs.job("while down", 3), null, null));

      pg.start();
      assertEquals(before.id(), store.find(before.id()).orElseThrow().id());
      NewJob after = TestJobs.job("after", 3);
      store.submit(after, null, null);
      assertTrue(store.find(after.id()).isPresent());
    }
  }

  @Test
  void migrateGivesUpWithAClearErrorWhenTheServerNeverComes() {
    pg.stop();
    try (Database db = Database.create(TestDb.settings(pg), WAIT)) {
      StoreUnavailableException e =
          assertThrows(StoreUnavailableException.class, () -> db.migrate(Duration.ofSeconds(2)));
      assertTrue(e.getMessage().contains("still unreachable"), e.getMessage());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
