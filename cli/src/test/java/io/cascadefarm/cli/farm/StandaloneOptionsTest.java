package io.cascadefarm.cli.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandaloneOptionsTest {
  @Test
  void negativeWorkersAreRejectedNamingTheFlag() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new StandaloneOptions(
                    Path.of("d"), 8080, 19092, 15432, 19000, -1, "tiny", null, Map.of()));
    assertTrue(e.getMessage().contains("--workers"), e.getMessage());
  }

  @Test
  void portOutOfRangeIsRejectedNamingTheFlag() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new StandaloneOptions(
                    Path.of("d"), 8080, 19092, 70000, 19000, 1, "tiny", null, Map.of()));
    assertTrue(e.getMessage().contains("--postgres-port"), e.getMessage());
  }

  @Test
  void zeroWorkersAreAllowed() {
    assertEquals(0, StandaloneOptions.ephemeral(Path.of("d"), 0, null).workers());
  }
}
