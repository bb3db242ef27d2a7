package io.cascadefarm.cascade.tools.parity;

import io.cascadefarm.cascade.testing.TestResources;
import java.io.IOException;
import java.nio.file.Path;

/** Locates the parity fixture directory for tests. */
public final class Fixtures {
  private Fixtures() {}

  /** {@code $farm.shared.dir/parity} if present, else the copy in cascade's test resources. */
  public static Path dir() {
    return TestResources.parity();
  }

  /** A fixture file path. */
  public static Path file(String name) {
    return dir().resolve(name);
  }

  public static Fixture load(String name) throws IOException {
    return Fixture.load(dir(), name);
  }
}
