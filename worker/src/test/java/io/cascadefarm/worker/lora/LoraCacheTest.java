package io.cascadefarm.worker.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.codec.hostile.HostileFiles;
import io.cascadefarm.common.digest.Sha256;
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
    s3.put("loras/" + name + ".sha256", Sha256.hex(bytes).getBytes(StandardCharsets.US_ASCII));
  }

  // two valid (tiny) LoRA files: the cache also checks a file with the reader's rules
  static final byte[] V1 = HostileFiles.lora("{\"v\":\"1\"}");
  static final byte[] V2 = HostileFiles.lora("{\"v\":\"2\"}");

  @Test
  void downloadsOnceAndFetchesAgainAfterAReupload() throws Exception {
    LoraCache cache = new LoraCache(dir);
    upload("style", V1);
    Path first = cache.resolve("style", this::read);
    assertArrayEquals(V1, Files.readAllBytes(first));
    reads.clear();
    assertEquals(first, cache.resolve("style", this::read));
    assertEquals(List.of("loras/style.sha256"), reads, "cached: only the hash is read");
    upload("style", V2);
    Path second = cache.resolve("style", this::read);
    assertNotEquals(first, second);
    assertArrayEquals(V2, Files.readAllBytes(second));
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

  /**
   * A job pins the LoRA's SHA-256 when it is accepted (kept in PostgreSQL): a later upload under
   * the same name, or someone swapping the file and its .sha256 in the bucket, does not change what
   * the job renders with (issue 15, findings 4 and 8).
   */
  @Test
  void aPinnedJobUsesItsContentOrRefusesASwappedFile() throws Exception {
    LoraCache cache = new LoraCache(dir);
    upload("style", V1);
    String pinned = Sha256.hex(V1);
    s3.put("loras/sha256/" + pinned + ".safetensors", V1);
    upload("style", V2); // replaced by its owner after the job was accepted
    assertArrayEquals(V1, Files.readAllBytes(cache.resolve("style", pinned, this::read)));

    LoraCache fresh = new LoraCache(dir.resolve("other"));
    s3.remove("loras/sha256/" + pinned + ".safetensors");
    upload("style", V2); // the attacker's file with a matching .sha256 sidecar
    RenderException swapped =
        assertThrows(RenderException.class, () -> fresh.resolve("style", pinned, this::read));
    assertTrue(
        swapped.getMessage().contains("not the file the job was accepted with"),
        swapped.getMessage());
    upload("i8", HostileFiles.loraI8());
    RenderException unreadable =
        assertThrows(RenderException.class, () -> fresh.resolve("i8", this::read));
    assertTrue(unreadable.getMessage().contains("I8"), unreadable.getMessage());
  }
}
