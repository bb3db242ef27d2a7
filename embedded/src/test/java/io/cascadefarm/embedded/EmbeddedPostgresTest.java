package io.cascadefarm.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresTest {
  @TempDir Path dir;

  @Test
  void rowsSurviveARestartOnTheSamePortAndDirectory() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().home(dir).build().start()) {
      try (Connection c = connect(pg);
          Statement st = c.createStatement()) {
        st.execute("create table jobs (id text primary key, status text not null)");
        st.execute("insert into jobs values ('j1', 'QUEUED'), ('j2', 'DONE')");
        assertEquals("farm", single(st, "select current_user"));
        assertEquals("farm", single(st, "select current_database()"));
      }
      String url = pg.jdbcUrl();

      pg.stop();
      assertFalse(pg.isRunning());
      assertThrows(SQLException.class, () -> connect(pg).close());
      pg.start();

      assertEquals(url, pg.jdbcUrl());
      try (Connection c = pg.dataSource().getConnection();
          Statement st = c.createStatement()) {
        assertEquals("DONE", single(st, "select status from jobs where id = 'j2'"));
      }
    }

    try (EmbeddedPostgres again = EmbeddedPostgres.builder().home(dir).build().start();
        Connection c = connect(again);
        Statement st = c.createStatement()) {
      assertEquals("2", single(st, "select count(*) from jobs"));
    }
  }

  @Test
  void busyFixedPortFailsWithTheServiceAndPortNamed() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().home(dir).port(busy.getLocalPort()).build();
      PortInUseException e = assertThrows(PortInUseException.class, pg::start);
      assertTrue(e.getMessage().contains("PostgreSQL"), e.getMessage());
      assertFalse(pg.isRunning());
    }
  }

  @Test
  void rejectsADatabaseNameThatIsNotAnIdentifierBeforeStartingAnything() {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().home(dir).database("farm; drop");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
    assertTrue(e.getMessage().contains("database"), e.getMessage());
  }

  private static Connection connect(EmbeddedPostgres pg) throws SQLException {
    return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
  }

  private static String single(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }
}
