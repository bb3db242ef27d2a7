package io.cascadefarm.db;

import io.cascadefarm.common.config.DbSettings;
import io.cascadefarm.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * One embedded PostgreSQL 17 per test JVM, migrated once; {@link #reset()} empties every table so
 * each test starts clean. The server is stopped by a shutdown hook.
 */
final class TestDb {
  private static EmbeddedPostgres server;
  private static Database database;

  private TestDb() {}

  static synchronized Database database() {
    if (database == null) {
      server = EmbeddedPostgres.builder().build().start();
      database = Database.create(settings(server));
      database.migrate(Duration.ofSeconds(30));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    database.close();
                    server.close();
                  }));
    }
    return database;
  }

  static DbSettings settings(EmbeddedPostgres pg) {
    return new DbSettings(pg.jdbcUrl(), pg.user(), pg.password(), 4);
  }

  /** Empties all job tables (not the Flyway history). */
  static void reset() {
    exec(
        "TRUNCATE job_transitions, idempotency_keys, outbox, jobs, batches, api_keys"
            + " RESTART IDENTITY CASCADE");
  }

  static void exec(String sql) {
    try (Connection c = database().dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  static long count(String sqlCount) {
    try (Connection c = database().dataSource().getConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery(sqlCount)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sqlCount, e);
    }
  }
}
