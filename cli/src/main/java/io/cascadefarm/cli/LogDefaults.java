package io.cascadefarm.cli;

/**
 * Quiet logging for the command line: slf4j-simple at {@code warn} on stderr unless {@code
 * FARM_LOG_LEVEL} (e.g. {@code info}, {@code debug}) or the system property says otherwise. Must
 * run before the first logger is created.
 */
final class LogDefaults {
  static final String LEVEL_KEY = "org.slf4j.simpleLogger.defaultLogLevel";

  private LogDefaults() {}

  private static void quiet(String logger) {
    String key = "org.slf4j.simpleLogger.log." + logger;
    if (System.getProperty(key) == null && System.getenv("FARM_LOG_LEVEL") == null) {
      System.setProperty(key, "error");
    }
  }

  static void apply() {
    if (System.getProperty(LEVEL_KEY) == null) {
      String env = System.getenv("FARM_LOG_LEVEL");
      System.setProperty(LEVEL_KEY, env == null || env.isBlank() ? "warn" : env.strip());
    }
    quiet("ai.djl.util.cuda.CudaUtils"); // "Failed to detect GPU count" on every CPU-only host
    quiet("org.apache.kafka.clients.NetworkClient"); // a harmless double close at broker stop
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    // a dependency logs through Log4j 2 API without an implementation: use its simple logger
    System.setProperty(
        "log4j2.loggerContextFactory",
        "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
  }
}
