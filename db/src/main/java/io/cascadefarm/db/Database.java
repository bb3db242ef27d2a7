package io.cascadefarm.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.cascadefarm.common.config.DbSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The process's PostgreSQL pool (HikariCP) and schema migration (Flyway, {@code
 * classpath:db/migration}). The pool is created even while the server is down and reconnects by
 * itself after a restart; a call that finds no connection within {@link #CONNECTION_TIMEOUT} fails
 * with {@link StoreUnavailableException}. {@link #migrate()} waits for the server with backoff, so
 * processes may start before PostgreSQL.
 *
 * <pre>{@code
 * Database db = Database.create(DbSettings.from(config));
 * db.migrate();                       // waits up to 60 s for PostgreSQL
 * JobStore store = db.jobStore();
 * }</pre>
 */
public final class Database implements AutoCloseable {
  /** Default wait of a store call for a pooled connection before it reports unavailability. */
  public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  private static final Duration DEFAULT_STARTUP_WAIT = Duration.ofSeconds(60);

  private final HikariDataSource pool;
  private final StatementCounter counter = new StatementCounter();
  private final DataSource dataSource;

  private Database(HikariDataSource pool) {
    this.pool = pool;
    this.dataSource = counter.wrap(pool);
  }

  /** Longest wait for one answer from PostgreSQL (pgjdbc socketTimeout). */
  public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

  public static Database create(DbSettings settings) {
    return create(settings, CONNECTION_TIMEOUT);
  }

  /**
   * A pool whose calls wait at most {@code connectionTimeout} (at least 250 ms) for a connection
   * before failing with {@link StoreUnavailableException}.
   */
  public static Database create(DbSettings settings, Duration connectionTimeout) {
    return new Database(new HikariDataSource(poolConfig(settings, connectionTimeout)));
  }

  static HikariConfig poolConfig(DbSettings settings, Duration connectionTimeout) {
    if (settings.password() == null || settings.password().isEmpty()) {
      throw new IllegalArgumentException(
          "farm.db.password is not set: there is no default database password; set the"
              + " environment variable FARM_DB_PASSWORD (or farm.db.password in --config FILE)"
              + " to the password of farm.db.user (see README, Secrets)");
    }
    if (settings.poolSize() < 1) {
      throw new IllegalArgumentException(
          "farm.db.pool-size must be >= 1, got " + settings.poolSize());
    }
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(settings.url());
    c.setUsername(settings.user());
    c.setPassword(settings.password());
    c.setMaximumPoolSize(settings.poolSize());
    c.setMinimumIdle(Math.min(2, settings.poolSize()));
    c.setPoolName("farm-db");
    c.setConnectionTimeout(Math.max(250, connectionTimeout.toMillis()));
    c.setValidationTimeout(2_000);
    c.setKeepaliveTime(60_000);
    // pgjdbc's isValid() did not notice connections the server closed during a restart
    c.setConnectionTestQuery("SELECT 1");
    c.setInitializationFailTimeout(-1); // start even if PostgreSQL is not up yet
    c.addDataSourceProperty("reWriteBatchedInserts", "true");
    c.addDataSourceProperty("tcpKeepAlive", "true");
    c.addDataSourceProperty("connectTimeout", "5");
    // a PostgreSQL that drops packets fails a call after this many seconds instead of hanging on
    // TCP retransmissions; shorter than the API's request deadline (Handlers.DEADLINE)
    c.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
    c.addDataSourceProperty("ApplicationName", "cascade-farm");
    return c;
  }

  /** The pool, with every statement counted ({@link #statements()}). */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Statements, commits and rollbacks this process sent through the pool so far. */
  public StatementCounter.Counts statements() {
    return counter.counts();
  }

  /** A job store on this pool with the system clock. */
  public JdbcJobStore jobStore() {
    return new JdbcJobStore(dataSource);
  }

  /** The results-lifecycle queries on this pool ({@code farm.results.ttl}). */
  public JdbcResultRetention resultRetention() {
    return new JdbcResultRetention(dataSource);
  }

  /** The workers registry on this pool (issue 13). */
  public WorkerTable workers() {
    return new WorkerTable(dataSource);
  }

  /** The scopes of API keys on this pool. */
  public ApiKeyScopeTable keyScopes() {
    return new ApiKeyScopeTable(dataSource);
  }

  /** The dashboard's reads (batches list, queue overview) on this pool. */
  public InsightQueries insights() {
    return new InsightQueries(dataSource);
  }

  /** Applies pending migrations, waiting up to 60 s for PostgreSQL to accept connections. */
  public void migrate() {
    migrate(DEFAULT_STARTUP_WAIT);
  }

  /** Applies pending migrations, retrying with backoff while the server is unreachable. */
  public void migrate(Duration waitForServer) {
    StartupRetry.run(
        "database migration",
        waitForServer,
        () ->
            Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate());
  }

  /** Blocks until a connection can be opened (or {@code maxWait} passed). */
  public void awaitAvailable(Duration maxWait) {
    StartupRetry.run(
        "database connection",
        maxWait,
        () -> {
          try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
          } catch (SQLException e) {
            throw SqlErrors.translate("connect", e);
          }
        });
  }

  @Override
  public void close() {
    pool.close();
  }
}
