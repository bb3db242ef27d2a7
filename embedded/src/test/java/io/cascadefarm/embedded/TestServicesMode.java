package io.cascadefarm.embedded;

import java.util.Locale;

/** Which servers {@link TestServices} starts; chosen by {@code farm.test.services}. */
public enum TestServicesMode {
  /** Embedded servers in this JVM (child processes for PostgreSQL). */
  EMBEDDED,
  /** Testcontainers: Kafka, PostgreSQL and MinIO images; needs a Docker engine. */
  CONTAINERS,
  /** Containers when Docker is reachable, otherwise embedded (the default). */
  AUTO;

  /**
   * @param value {@code embedded}, {@code containers} or {@code auto} (any case); null or blank
   *     means {@code auto}
   * @throws IllegalArgumentException naming the key for any other value
   */
  public static TestServicesMode parse(String value) {
    if (value == null || value.isBlank()) {
      return AUTO;
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          TestServices.MODE_KEY
              + " must be one of embedded, containers, auto but was '"
              + value
              + "'");
    }
  }
}
