package io.cascadefarm.cascade.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fixtures committed under {@code cascade/src/test/resources}, as directories on disk. One copy
 * serves cascade's own tests and the parity, bench and self-check tests of the {@code
 * cascade-tools} module beside it (whose working directory is {@code cascade-tools}).
 */
public final class TestResources {
  private static final Path OWN = Path.of("src", "test", "resources");
  private static final Path FROM_SIBLING = Path.of("..", "cascade", "src", "test", "resources");

  private TestResources() {}

  /** {@code cascade/src/test/resources/<name>}, seen from cascade or from a sibling module. */
  public static Path dir(String name) {
    Path own = OWN.resolve(name);
    if (Files.exists(own)) {
      return own;
    }
    Path sibling = FROM_SIBLING.resolve(name);
    if (Files.exists(sibling)) {
      return sibling;
    }
    throw new IllegalStateException("test resources not found: " + own + " or " + sibling);
  }

  /** The parity fixtures: {@code $farm.shared.dir/parity} if present, else the committed copy. */
  public static Path parity() {
    String shared = System.getProperty("farm.shared.dir");
    if (shared != null && Files.isRegularFile(Path.of(shared, "parity", "index.json"))) {
      return Path.of(shared, "parity");
    }
    Path local = dir("parity");
    if (Files.isRegularFile(local.resolve("index.json"))) {
      return local;
    }
    throw new IllegalStateException("parity fixtures not found (farm.shared.dir or " + local + ")");
  }
}
