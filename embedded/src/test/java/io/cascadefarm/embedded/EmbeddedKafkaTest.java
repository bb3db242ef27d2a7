package io.cascadefarm.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {
  @TempDir Path dir;

  @Test
  void inProcessBrokerKeepsRecordsAndCommittedOffsetsAcrossRestarts() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().home(dir).build().start()) {
      KafkaClients.produce(kafka.bootstrapServers(), "jobs", "a", "b", "c");
      assertEquals(
          List.of("a", "b", "c"),
          KafkaClients.consumeAndCommit(kafka.bootstrapServers(), "jobs", "g", "consumer", 3));
      KafkaClients.produce(kafka.bootstrapServers(), "jobs", "d");
      int port = kafka.port();

      kafka.stop();
      assertFalse(kafka.isRunning());
      kafka.start();

      assertEquals(port, kafka.port());
      assertEquals(
          List.of("d"),
          KafkaClients.consumeAndCommit(kafka.bootstrapServers(), "jobs", "g", "consumer", 1));
    }
    assertTrue(Files.exists(dir.resolve("data/meta.properties")), "home is kept");

    try (EmbeddedKafka again = EmbeddedKafka.builder().home(dir).build().start()) {
      KafkaClients.produce(again.bootstrapServers(), "jobs", "e");
      assertEquals(
          List.of("e"),
          KafkaClients.consumeAndCommit(again.bootstrapServers(), "jobs", "g", "classic", 1));
    }
  }

  @Test
  void childProcessBrokerSurvivesStopAndKill() throws Exception {
    EmbeddedKafka.Builder builder =
        EmbeddedKafka.builder().home(dir).mode(EmbeddedKafka.Mode.CHILD_PROCESS);
    try (EmbeddedKafka kafka = builder.build().start()) {
      String bootstrap = kafka.bootstrapServers();
      KafkaClients.produce(bootstrap, "events", "1", "2");
      assertEquals(
          List.of("1", "2"), KafkaClients.consumeAndCommit(bootstrap, "events", "w", "classic", 2));
      KafkaClients.produce(bootstrap, "events", "3");

      kafka.kill();
      assertFalse(kafka.isRunning());
      kafka.start();

      assertTrue(kafka.isRunning());
      assertEquals(bootstrap, kafka.bootstrapServers(), "restarts on the same port");
      assertEquals(
          List.of("3"), KafkaClients.consumeAndCommit(bootstrap, "events", "w", "classic", 1));

      kafka.stop();
      assertFalse(kafka.isRunning());
    }
  }

  @Test
  void busyFixedPortFailsWithTheServiceAndPortNamed() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      EmbeddedKafka kafka = EmbeddedKafka.builder().home(dir).port(busy.getLocalPort()).build();
      PortInUseException e = assertThrows(PortInUseException.class, kafka::start);
      assertEquals(busy.getLocalPort(), e.port());
      assertTrue(e.getMessage().contains("Kafka broker"), e.getMessage());
      assertFalse(kafka.isRunning());
    }
  }
}
