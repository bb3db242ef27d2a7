package io.cascadefarm.embedded;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server from the zonky embedded binaries, with a database (default {@code
 * farm}) owned by an application role (default {@code farm}/{@code farm}).
 *
 * <p>Layout of the home directory: {@code data/} (PGDATA; initialised on the first start only, so
 * data survives restarts) and {@code postgres.log} (server output). The binaries are extracted once
 * to {@code ${java.io.tmpdir}/embedded-pg} (or {@link Builder#binariesDir}). As root the bundled
 * binaries drop privileges by themselves. Port 0 picks a free port on the first start; later {@link
 * #start()} calls reuse it. A server left running on the same PGDATA by a JVM that was SIGKILLed is
 * stopped first.
 *
 * <pre>{@code
 * try (EmbeddedPostgres pg = EmbeddedPostgres.builder().home(dir).build().start()) {
 *   Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
 * }
 * }</pre>
 */
public final class EmbeddedPostgres implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

  private final Path home;
  private final boolean temporaryHome;
  private final Path binariesDir;
  private final String database;
  private final String user;
  private final String password;
  private final Duration startupTimeout;
  private int port;
  private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

  private EmbeddedPostgres(Builder b) {
    this.temporaryHome = b.home == null;
    this.home = temporaryHome ? Dirs.createTemp("embedded-pg-home") : b.home.toAbsolutePath();
    this.binariesDir = b.binariesDir;
    this.database = b.database;
    this.user = b.user;
    this.password = b.password;
    this.startupTimeout = b.startupTimeout;
    this.port = b.port;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the server (initdb on first use), creates role and database; no-op if running. */
  public synchronized EmbeddedPostgres start() {
    if (server != null) {
      return this;
    }
    QuietLogging.apply();
    long t0 = System.nanoTime();
    Path dataDir = Dirs.create(home.resolve("data"));
    StalePostmaster.stopIfRunning(dataDir);
    int chosenPort = Ports.resolve(port, "PostgreSQL");
    Path log = home.resolve("postgres.log");
    try {
      server = zonkyBuilder(dataDir, chosenPort, log).start();
      port = chosenPort;
      PostgresDatabaseSetup.ensure(server.getPostgresDatabase(), database, user, password);
    } catch (IOException | SQLException | RuntimeException e) {
      stop();
      throw new IllegalStateException(
          "PostgreSQL did not start on port "
              + chosenPort
              + " with data "
              + dataDir
              + "; "
              + log
              + " ends with:\n"
              + Dirs.tail(log, 3000),
          e);
    }
    LOG.info(
        "PostgreSQL ready at {} in {} ms, home {}",
        jdbcUrl(),
        (System.nanoTime() - t0) / 1_000_000,
        home);
    return this;
  }

  private io.zonky.test.db.postgres.embedded.EmbeddedPostgres.Builder zonkyBuilder(
      Path dataDir, int chosenPort, Path log) {
    var b =
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setPort(chosenPort)
            .setPGStartupWait(startupTimeout)
            .setServerConfig("listen_addresses", "localhost")
            .setServerConfig("unix_socket_directories", "")
            .setOutputRedirector(Redirect.appendTo(log.toFile()))
            .setErrorRedirector(Redirect.appendTo(log.toFile()));
    if (binariesDir != null) {
      b.setOverrideWorkingDirectory(Dirs.create(binariesDir).toFile());
    }
    return b;
  }

  /** Fast shutdown ({@code pg_ctl stop -m fast}); data stays; {@link #start()} works again. */
  public synchronized void stop() {
    if (server != null) {
      long t0 = System.nanoTime();
      try {
        server.close();
      } catch (IOException e) {
        LOG.warn("PostgreSQL stop reported an error", e);
      }
      server = null;
      LOG.info("PostgreSQL stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  /** {@code jdbc:postgresql://localhost:<port>/<database>}; known after the first start. */
  public synchronized String jdbcUrl() {
    if (port == 0) {
      throw new IllegalStateException(
          "PostgreSQL port is chosen on the first start(); start first");
    }
    return "jdbc:postgresql://localhost:" + port + "/" + database;
  }

  /** A non-pooled data source for the application database and role. */
  public synchronized DataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(jdbcUrl());
    ds.setUser(user);
    ds.setPassword(password);
    return ds;
  }

  public synchronized int port() {
    return port;
  }

  public String database() {
    return database;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  public Path home() {
    return home;
  }

  /** Stops the server; a temporary home (no {@link Builder#home} given) is deleted. */
  @Override
  public synchronized void close() {
    stop();
    if (temporaryHome) {
      Dirs.deleteRecursively(home);
    }
  }

  /** Options for {@link EmbeddedPostgres}; every setting has a default. */
  public static final class Builder {
    private Path home;
    private Path binariesDir;
    private int port;
    private String database = "farm";
    private String user = "farm";
    private String password = Secrets.random();
    private Duration startupTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** Persistent home directory; default: a temporary one deleted on {@link #close()}. */
    public Builder home(Path home) {
      this.home = home;
      return this;
    }

    /** Where zonky extracts the binaries (default {@code ${java.io.tmpdir}/embedded-pg}). */
    public Builder binariesDir(Path dir) {
      this.binariesDir = dir;
      return this;
    }

    /** 0 (default) picks a free port on the first start. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder database(String database) {
      this.database = Objects.requireNonNull(database, "database");
      return this;
    }

    public Builder user(String user) {
      this.user = Objects.requireNonNull(user, "user");
      return this;
    }

    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** How long zonky waits for {@code SELECT 1} (default 30 s). */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = Objects.requireNonNull(timeout, "startupTimeout");
      return this;
    }

    /**
     * @throws IllegalArgumentException if database or user is not a plain lower-case identifier
     */
    public EmbeddedPostgres build() {
      PostgresDatabaseSetup.requireIdentifier(database, "database");
      PostgresDatabaseSetup.requireIdentifier(user, "user");
      return new EmbeddedPostgres(this);
    }
  }
}
