package io.cascadefarm.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.MinioClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedServicesTest {
  @TempDir Path root;

  @Test
  void allThreeStartUnderOneRootAndKeepTheirDataAcrossARestart() throws Exception {
    try (EmbeddedServices services = EmbeddedServices.builder(root).build().start()) {
      ServiceEndpoints e = services.endpoints();
      KafkaClients.produce(e.kafkaBootstrapServers(), "jobs", "job-1");
      assertEquals(
          List.of("job-1"),
          KafkaClients.consumeAndCommit(e.kafkaBootstrapServers(), "jobs", "d", "consumer", 1));
      try (Connection c = connect(e);
          Statement st = c.createStatement()) {
        st.execute("create table jobs (id text primary key)");
        st.execute("insert into jobs values ('job-1')");
      }
      try (MinioClient s3 = s3(e)) {
        S3Clients.put(s3, e.s3Bucket(), "job-1/0/0.png", "image");
      }
    }
    assertTrue(Files.isDirectory(root.resolve("kafka/data")));
    assertTrue(Files.isDirectory(root.resolve("postgres/data")));
    assertTrue(Files.isDirectory(root.resolve("s3/farm")));

    try (EmbeddedServices again = EmbeddedServices.builder(root).build().start()) {
      ServiceEndpoints e = again.endpoints();
      KafkaClients.produce(e.kafkaBootstrapServers(), "jobs", "job-2");
      assertEquals(
          List.of("job-2"),
          KafkaClients.consumeAndCommit(e.kafkaBootstrapServers(), "jobs", "d", "consumer", 1));
      try (Connection c = connect(e);
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select id from jobs")) {
        assertTrue(rs.next());
        assertEquals("job-1", rs.getString(1));
      }
      try (MinioClient s3 = s3(e)) {
        assertEquals("image", S3Clients.get(s3, e.s3Bucket(), "job-1/0/0.png"));
      }
    }
  }

  @Test
  void propertiesCarryTheNineFarmKeysAndToStringHidesSecrets() {
    ServiceEndpoints e =
        new ServiceEndpoints(
            "localhost:9092",
            "jdbc:postgresql://localhost:5432/farm",
            "farm",
            "db-secret",
            "http://127.0.0.1:9000",
            "ak",
            "s3-secret",
            "farm",
            "us-east-1");
    Properties p = e.toProperties();
    assertEquals(9, p.size());
    assertEquals("localhost:9092", p.getProperty("farm.kafka.bootstrap-servers"));
    assertEquals("jdbc:postgresql://localhost:5432/farm", p.getProperty("farm.db.url"));
    assertEquals("farm", p.getProperty("farm.db.user"));
    assertEquals("db-secret", p.getProperty("farm.db.password"));
    assertEquals("http://127.0.0.1:9000", p.getProperty("farm.s3.endpoint"));
    assertEquals("ak", p.getProperty("farm.s3.access-key"));
    assertEquals("s3-secret", p.getProperty("farm.s3.secret-key"));
    assertEquals("farm", p.getProperty("farm.s3.bucket"));
    assertEquals("us-east-1", p.getProperty("farm.s3.region"));
    assertFalse(e.toString().contains("secret"), e.toString());
  }

  @Test
  void aBusyPortStopsTheServicesThatDidStart() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      EmbeddedServices services =
          EmbeddedServices.builder(root).postgresPort(busy.getLocalPort()).build();
      assertThrows(PortInUseException.class, services::start);
      assertFalse(services.kafka().isRunning());
      assertFalse(services.s3().isRunning());
    }
  }

  private static Connection connect(ServiceEndpoints e) throws Exception {
    return DriverManager.getConnection(e.jdbcUrl(), e.dbUser(), e.dbPassword());
  }

  private static MinioClient s3(ServiceEndpoints e) {
    return S3Clients.client(e.s3Endpoint(), e.s3AccessKey(), e.s3SecretKey(), e.s3Region());
  }
}
