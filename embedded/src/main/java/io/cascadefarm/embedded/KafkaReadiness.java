package io.cascadefarm.embedded;

import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

/**
 * Waits until a broker answers {@code Admin.describeCluster()}. It first waits for the TCP port,
 * which keeps the admin client from logging connection warnings during a slow child start.
 */
final class KafkaReadiness {
  private KafkaReadiness() {}

  static void await(int port, Duration timeout, KafkaBroker broker) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Ports.isListening(port)) {
      checkAlive(broker, port);
      checkDeadline(deadline, timeout, port, broker);
      sleep(50);
    }
    try (Admin admin = Admin.create(adminProps(port))) {
      while (true) {
        checkAlive(broker, port);
        if (answers(admin)) {
          return;
        }
        checkDeadline(deadline, timeout, port, broker);
        sleep(100);
      }
    }
  }

  private static boolean answers(Admin admin) {
    try {
      Collection<Node> nodes = admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
      return !nodes.isEmpty();
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }

  private static Properties adminProps(int port) {
    Properties p = new Properties();
    p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + port);
    p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    p.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness");
    return p;
  }

  private static void checkAlive(KafkaBroker broker, int port) {
    if (!broker.isAlive()) {
      throw new IllegalStateException(
          "Kafka broker on port " + port + " exited during startup; " + broker.diagnostics());
    }
  }

  private static void checkDeadline(long deadline, Duration timeout, int port, KafkaBroker broker) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException(
          "Kafka broker on port "
              + port
              + " not ready after "
              + timeout.toSeconds()
              + " s; "
              + broker.diagnostics());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }
}
