package io.cascadefarm.embedded;

/** One running broker incarnation (in this JVM or in a child JVM); started once, stopped once. */
interface KafkaBroker {
  void start();

  /** Orderly shutdown; idempotent. */
  void stop();

  /** Abrupt stop (SIGKILL for a child process); for fault tests. */
  void kill();

  boolean isAlive();

  /** Recent broker output for error messages, or "" when not available. */
  String diagnostics();
}
