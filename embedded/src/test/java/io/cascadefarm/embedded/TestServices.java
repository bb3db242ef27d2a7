package io.cascadefarm.embedded;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka + PostgreSQL + S3 set shared by all integration tests of one JVM: started lazily on the
 * first call, stopped (and its temporary directory deleted) by a shutdown hook. If starting fails,
 * later calls fail at once with the original cause.
 *
 * <p>Choice of servers, from the system property {@value #MODE_KEY} or else the environment
 * variable {@code FARM_TEST_SERVICES} ({@code embedded | containers | auto}, default {@code auto}):
 * {@code auto} uses Testcontainers if a Docker engine is reachable, otherwise the embedded servers.
 * <b>The container path compiles but has never run in this repository's build, which has no Docker
 * engine;</b> the embedded path is the tested one.
 *
 * <p>The shared set must not be stopped or broken by a test: fault tests (broker kill, PostgreSQL
 * restart, S3 outage) start their own {@link EmbeddedKafka}, {@link EmbeddedPostgres} or {@link
 * EmbeddedS3}. Tests isolate themselves by unique topic names, schemas/tables and object keys.
 *
 * <pre>{@code
 * ServiceEndpoints e = TestServices.endpoints();
 * DriverManager.getConnection(e.jdbcUrl(), e.dbUser(), e.dbPassword());
 * }</pre>
 */
public final class TestServices {
  /** System property choosing the mode. */
  public static final String MODE_KEY = "farm.test.services";

  /** Environment variable consulted when the system property is absent. */
  public static final String MODE_ENV = "FARM_TEST_SERVICES";

  private static final Logger LOG = LoggerFactory.getLogger(TestServices.class);
  private static RunningServices shared;
  private static TestServicesMode used;
  private static RuntimeException startFailure;

  private TestServices() {}

  /** Starts the shared services on first use and returns their endpoints. */
  public static synchronized ServiceEndpoints endpoints() {
    if (startFailure != null) {
      throw new IllegalStateException(
          "the shared test services failed to start earlier in this JVM", startFailure);
    }
    if (shared == null) {
      try {
        TestServicesMode mode = resolve(requestedMode());
        shared = start(mode);
        used = mode;
      } catch (RuntimeException e) {
        startFailure = e;
        throw e;
      }
    }
    return shared.endpoints();
  }

  /** {@link TestServicesMode#EMBEDDED} or {@link TestServicesMode#CONTAINERS} once started. */
  public static synchronized TestServicesMode mode() {
    endpoints();
    return used;
  }

  static TestServicesMode requestedMode() {
    String value = System.getProperty(MODE_KEY);
    return TestServicesMode.parse(value != null ? value : System.getenv(MODE_ENV));
  }

  static TestServicesMode resolve(TestServicesMode requested) {
    if (requested == TestServicesMode.AUTO) {
      return DockerProbe.dockerAvailable()
          ? TestServicesMode.CONTAINERS
          : TestServicesMode.EMBEDDED;
    }
    if (requested == TestServicesMode.CONTAINERS && !DockerProbe.testcontainersOnClasspath()) {
      throw new IllegalStateException(
          MODE_KEY + "=containers but Testcontainers is not on the test classpath");
    }
    return requested;
  }

  private static RunningServices start(TestServicesMode mode) {
    LOG.info("starting shared test services ({})", mode);
    if (mode == TestServicesMode.CONTAINERS) {
      RunningServices containers = new ContainerServices().start();
      addShutdownHook(containers, null);
      return containers;
    }
    Path root = Dirs.createTemp("farm-test-services");
    EmbeddedServices embedded = EmbeddedServices.builder(root).build();
    addShutdownHook(embedded, root);
    return embedded.start();
  }

  private static void addShutdownHook(RunningServices services, Path deleteAfter) {
    Runnable stop =
        () -> {
          services.close();
          if (deleteAfter != null) {
            Dirs.deleteRecursively(deleteAfter);
          }
        };
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "farm-test-services-stop"));
  }
}
