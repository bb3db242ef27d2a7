/**
 * Real Kafka, PostgreSQL and S3 servers started from Java, with no Docker: for integration tests of
 * every module and for {@code farm standalone}.
 *
 * <h2>The servers</h2>
 *
 * <ul>
 *   <li>{@link io.cascadefarm.embedded.EmbeddedKafka}: Apache Kafka 4.2 in KRaft combined mode, in
 *       this JVM or as a killable child JVM.
 *   <li>{@link io.cascadefarm.embedded.EmbeddedPostgres}: PostgreSQL 17 (zonky binaries) with a
 *       {@code farm} database and role.
 *   <li>{@link io.cascadefarm.embedded.EmbeddedS3}: S3Proxy over a directory or memory, AWS V2/V4
 *       signatures, bucket created on start.
 * </ul>
 *
 * <p>Each has a builder ({@code home}, {@code port}: 0 = free), {@code start()} (idempotent, waits
 * until the server answers, returns {@code this}), {@code stop()} (data kept; {@code start()} again
 * reuses the same port and directory), {@code isRunning()} and {@code close()}. A fixed port that
 * is taken fails fast with {@link io.cascadefarm.embedded.PortInUseException}. Without a home they
 * use a temporary directory (S3: memory) that {@code close()} removes.
 *
 * <h2>All three at once</h2>
 *
 * <pre>{@code
 * try (EmbeddedServices services = EmbeddedServices.builder(dataDir).build().start()) {
 *   ServiceEndpoints e = services.endpoints();
 *   e.toProperties(); // farm.kafka.bootstrap-servers, farm.db.url, ..., farm.s3.region
 * }
 * }</pre>
 *
 * <p>{@link io.cascadefarm.embedded.EmbeddedServices} keeps {@code <dataDir>/kafka}, {@code
 * <dataDir>/postgres} and {@code <dataDir>/s3}; started again on the same directory it finds every
 * topic, committed offset, row and object.
 *
 * <h2>In tests of other modules</h2>
 *
 * <p>Tests reach these servers through the shared services fixture in this module's test-jar
 * ({@code src/test/java}, with the container library in test scope: nothing of it ships in the
 * CLI), started once per JVM and stopped at exit. With {@code -Dfarm.test.services=containers} (or
 * {@code auto} and Docker is reachable) that fixture uses containers instead. Tests that kill or
 * restart a server (fault tests) must start their own instance instead of the shared one.
 *
 * <h2>Logging</h2>
 *
 * <p>The servers' own INFO logging is lowered to WARN for slf4j-simple ({@code
 * org.slf4j.simpleLogger.log.<logger>} system properties are set unless already present). The child
 * broker writes to {@code <kafka home>/broker.log}, PostgreSQL to {@code <postgres
 * home>/postgres.log}; startup errors quote the end of those files.
 */
package io.cascadefarm.embedded;
