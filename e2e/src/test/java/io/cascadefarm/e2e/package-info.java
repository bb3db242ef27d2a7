/**
 * End-to-end tests of the whole farm on the real embedded Kafka, PostgreSQL and S3: batches of
 * {@code tiny} jobs through the HTTP API, restarts on the same data directory, and {@code farm
 * standalone} as a child process stopped by SIGTERM.
 */
package io.cascadefarm.e2e;
