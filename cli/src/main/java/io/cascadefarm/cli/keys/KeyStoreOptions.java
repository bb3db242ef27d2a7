package io.cascadefarm.cli.keys;

import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.DbSettings;
import io.cascadefarm.db.Database;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the keys live: PostgreSQL from the environment, then {@code --config}, then {@code --set}.
 */
public final class KeyStoreOptions {
  @Option(names = "--config", description = "Properties file, e.g. farm-data/farm.properties")
  Path config;

  @Option(names = "--set", description = "Any documented farm.db.* setting, e.g. --set k=v")
  Map<String, String> settings = new LinkedHashMap<>();

  /** Opens (and migrates) the database; the caller closes it. */
  Database open() {
    Database db = Database.create(DbSettings.from(ConfigSource.load(config, settings)));
    try {
      db.migrate();
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }
}
