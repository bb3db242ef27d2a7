package io.cascadefarm.cascade.parity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the parity fixture directory for tests. */
public final class Fixtures {
  private Fixtures() {}

  /** {@code $farm.shared.dir/parity} if present, else the copy in test resources. */
  public static Path dir() {
    String shared = System.getProperty("farm.shared.dir");
    if (shared != null && Files.isRegularFile(Path.of(shared, "parity", "index.json"))) {
      return Path.of(shared, "parity");
    }
    Path local = Path.of("src", "test", "resources", "parity");
    if (Files.isRegularFile(local.resolve("index.json"))) {
      return local;
    }
    throw new IllegalStateException("parity fixtures not found (farm.shared.dir or " + local + ")");
  }

  /** A fixture file path. */
  public static Path file(String name) {
    return dir().resolve(name);
  }

  public static Fixture load(String name) throws IOException {
    return Fixture.load(dir(), name);
  }
}
