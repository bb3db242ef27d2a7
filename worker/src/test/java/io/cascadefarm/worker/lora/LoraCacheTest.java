package io.cascadefarm.worker.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.port.RenderException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraCacheTest {
  @TempDir Path dir;
  final Map<String, byte[]> s3 = new HashMap<>();
  final List<String> reads = new ArrayList<>();

  Optional<byte[]> read(String key) {
    reads.add(key);
    return Optional.ofNullable(s3.get(key));
  }

  void upload(String name, byte[] bytes) {
    s3.put("loras/" + name + ".safetensors", bytes);
    s3.put(
        "loras/" + name + ".sha256", LoraCache.sha256(bytes).getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void downloadsOnceAndFetchesAgainAfterAReupload() throws Exception {
    LoraCache cache = new LoraCache(dir);
    upload("style", new byte[] {1, 2, 3});
    Path first = cache.resolve("style", this::read);
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(first));
    reads.clear();
    assertEquals(first, cache.resolve("style", this::read));
    assertEquals(List.of("loras/style.sha256"), reads, "cached: only the hash is read");
    upload("style", new byte[] {4, 5});
    Path second = cache.resolve("style", this::read);
    assertNotEquals(first, second);
    assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(second));
  }

  @Test
  void unknownOrCorruptLorasAreInvalidInputNamingThem() {
    LoraCache cache = new LoraCache(dir);
    RenderException e =
        assertThrows(RenderException.class, () -> cache.resolve("ghost", this::read));
    assertTrue(e.getMessage().contains("ghost"), e.getMessage());
    upload("bad", new byte[] {1});
    s3.put("loras/bad.safetensors", new byte[] {2});
    RenderException corrupt =
        assertThrows(RenderException.class, () -> cache.resolve("bad", this::read));
    assertTrue(corrupt.getMessage().contains("SHA-256"), corrupt.getMessage());
  }
}
