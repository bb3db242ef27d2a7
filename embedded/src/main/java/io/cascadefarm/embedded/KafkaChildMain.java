package io.cascadefarm.embedded;

import java.io.IOException;
import java.io.InputStream;

/**
 * Entry point of the child-process broker: runs {@code kafka.Kafka <server.properties>} and exits
 * (through Kafka's own shutdown hook, so the log is flushed) once its stdin reaches end-of-file,
 * which happens when the parent JVM dies, even by SIGKILL. Not meant to be called from code.
 */
public final class KafkaChildMain {
  private KafkaChildMain() {}

  /**
   * @param args the path of the broker's {@code server.properties}
   */
  public static void main(String[] args) {
    Thread watchdog = new Thread(KafkaChildMain::exitWhenParentDies, "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    kafka.Kafka.main(args);
  }

  private static void exitWhenParentDies() {
    InputStream in = System.in;
    byte[] buffer = new byte[64];
    try {
      while (in.read(buffer) >= 0) {
        // the parent never writes; we only wait for end-of-file
      }
    } catch (IOException e) {
      // a broken pipe means the parent is gone as well
    }
    System.exit(0);
  }
}
