package io.cascadefarm.common.config;

import java.util.List;

/** How to reach PostgreSQL. */
public record DbSettings(String url, String user, String password, int poolSize) {
  public static final ConfigKey URL =
      new ConfigKey(
          "farm.db.url", "jdbc:postgresql://localhost:5432/farm", "JDBC URL of PostgreSQL");
  public static final ConfigKey USER = new ConfigKey("farm.db.user", "farm", "Database user");
  public static final ConfigKey PASSWORD =
      new ConfigKey(
          "farm.db.password", "", "Database password (required; no default, see Secrets)");
  public static final ConfigKey POOL =
      new ConfigKey("farm.db.pool-size", "8", "Maximum JDBC connections of this process");
  public static final List<ConfigKey> KEYS = List.of(URL, USER, PASSWORD, POOL);

  public static DbSettings from(ConfigSource c) {
    return new DbSettings(c.get(URL), c.get(USER), c.get(PASSWORD), c.getInt(POOL));
  }

  @Override
  public String toString() {
    return "DbSettings[url="
        + url
        + ", user="
        + user
        + ", password=***, poolSize="
        + poolSize
        + "]";
  }
}
