package io.cascadefarm.embedded;

/** A started Kafka + PostgreSQL + S3 set, embedded or in containers; close stops all three. */
public interface RunningServices extends AutoCloseable {
  ServiceEndpoints endpoints();

  /** Stops every service; never throws (failures are logged). */
  @Override
  void close();
}
