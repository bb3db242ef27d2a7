package io.cascadefarm.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestServicesTest {
  @Test
  void modeNamesParseInAnyCaseAndBlankMeansAuto() {
    assertEquals(TestServicesMode.EMBEDDED, TestServicesMode.parse("embedded"));
    assertEquals(TestServicesMode.CONTAINERS, TestServicesMode.parse(" Containers "));
    assertEquals(TestServicesMode.AUTO, TestServicesMode.parse(null));
    assertEquals(TestServicesMode.AUTO, TestServicesMode.parse(""));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TestServicesMode.parse("docker"));
    assertTrue(e.getMessage().contains("farm.test.services"), e.getMessage());
  }

  @Test
  void explicitModesAreKeptAndAutoFallsBackToEmbeddedWithoutDocker() {
    assertEquals(TestServicesMode.EMBEDDED, TestServices.resolve(TestServicesMode.EMBEDDED));
    assertEquals(TestServicesMode.CONTAINERS, TestServices.resolve(TestServicesMode.CONTAINERS));
    TestServicesMode expected =
        DockerProbe.dockerAvailable() ? TestServicesMode.CONTAINERS : TestServicesMode.EMBEDDED;
    assertEquals(expected, TestServices.resolve(TestServicesMode.AUTO));
  }

  @Test
  void theSharedServicesAreStartedOnceAndWork() throws Exception {
    ServiceEndpoints first = TestServices.endpoints();
    assertEquals(first, TestServices.endpoints());
    assertSame(TestServices.mode(), TestServices.mode());

    KafkaClients.produce(first.kafkaBootstrapServers(), "shared-test", "x");
    assertEquals(
        List.of("x"),
        KafkaClients.consumeAndCommit(
            first.kafkaBootstrapServers(), "shared-test", "shared", "classic", 1));
    try (Connection c =
            DriverManager.getConnection(first.jdbcUrl(), first.dbUser(), first.dbPassword());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select current_database()")) {
      assertTrue(rs.next());
      assertEquals("farm", rs.getString(1));
    }
  }
}
