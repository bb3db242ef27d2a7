package io.cascadefarm.cli.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A standalone farm's credentials are random per data directory and private (issue 15: 4). */
class StandaloneSecretsTest {
  @Test
  void generatedOnceKeptAcrossRestartsAndPrivate(@TempDir Path a, @TempDir Path b)
      throws Exception {
    StandaloneSecrets first = StandaloneSecrets.loadOrCreate(a);
    assertEquals(first, StandaloneSecrets.loadOrCreate(a), "a restart reuses them");
    StandaloneSecrets other = StandaloneSecrets.loadOrCreate(b);
    assertNotEquals(first.dbPassword(), other.dbPassword());
    assertNotEquals(first.s3SecretKey(), other.s3SecretKey());
    assertTrue(first.dbPassword().length() >= 24);
    Set<PosixFilePermission> perms =
        Files.getPosixFilePermissions(a.resolve(StandaloneSecrets.FILE_NAME));
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), perms);
    Path props = FarmProperties.write(a, java.util.Map.of("farm.db.password", first.dbPassword()));
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(props));
  }
}
