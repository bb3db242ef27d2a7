package io.cascadefarm.cli.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Locates the parity fixtures: {@code $farm.shared.dir/parity}, else the cascade test copy. */
final class SharedFixtures {
  private SharedFixtures() {}

  static Path dir() {
    String shared = System.getProperty("farm.shared.dir");
    if (shared != null && Files.isRegularFile(Path.of(shared, "parity", "index.json"))) {
      return Path.of(shared, "parity");
    }
    Path local = Path.of("..", "cascade", "src", "test", "resources", "parity");
    if (Files.isRegularFile(local.resolve("index.json"))) {
      return local;
    }
    throw new IllegalStateException("parity fixtures not found (farm.shared.dir or " + local + ")");
  }

  /** Every fixture description ({@code *.json} except index and hashinit files). */
  static List<Path> fixtureFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir())) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json"))
          .filter(p -> !p.getFileName().toString().equals("index.json"))
          .filter(p -> !p.getFileName().toString().endsWith(".hashinit.json"))
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
