package io.cascadefarm.embedded;

import java.util.List;

/**
 * Lowers the slf4j-simple level of the chatty server libraries (Kafka, zonky, jclouds, Jetty) to
 * WARN, unless the user already configured that logger. The keys are read when a logger is first
 * created, so this runs before any server class is loaded. Other slf4j providers ignore these keys.
 */
final class QuietLogging {
  private static final String PREFIX = "org.slf4j.simpleLogger.log.";
  private static final List<String> NOISY =
      List.of(
          "kafka",
          "state.change.logger",
          "org.apache.kafka",
          "io.zonky",
          "org.gaul",
          "org.jclouds",
          "jclouds",
          "org.eclipse.jetty",
          "org.gaul.shaded.org.eclipse.jetty");

  /**
   * Logs a WARN on every start of a single-node controller ("Performing controller activation").
   */
  private static final String CONTROLLER = "org.apache.kafka.controller.QuorumController";

  private QuietLogging() {}

  static void apply() {
    NOISY.forEach(logger -> setIfAbsent(logger, "warn"));
    setIfAbsent(CONTROLLER, "error");
  }

  private static void setIfAbsent(String logger, String level) {
    String key = PREFIX + logger;
    if (System.getProperty(key) == null) {
      System.setProperty(key, level);
    }
  }
}
