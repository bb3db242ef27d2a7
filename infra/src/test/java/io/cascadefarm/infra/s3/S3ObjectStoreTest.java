package io.cascadefarm.infra.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.S3Settings;
import io.cascadefarm.embedded.EmbeddedS3;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class S3ObjectStoreTest {
  private static EmbeddedS3 s3;
  private static int bucketCounter;
  private S3ObjectStore store;

  @BeforeAll
  static void startS3() {
    s3 = EmbeddedS3.builder().build().start();
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @BeforeEach
  void connect() {
    store = S3ObjectStore.connect(settings("results-" + (++bucketCounter)));
  }

  @AfterEach
  void close() {
    s3.start(); // in case a test stopped it
    store.close();
  }

  private static S3Settings settings(String bucket) {
    return new S3Settings(
        s3.endpoint(), s3.accessKey(), s3.secretKey(), bucket, s3.region(), Duration.ofHours(1));
  }

  /**
   * Files larger than one part: uploaded in {@link S3ObjectStore#CHUNK} parts (multipart) and read
   * back in ranges, byte for byte; a missing key is false.
   */
  @Test
  void filesOfSeveralPartsRoundTripThroughFiles() throws Exception {
    java.nio.file.Path in = java.nio.file.Files.createTempFile("s3-in", ".bin");
    java.nio.file.Path out = java.nio.file.Files.createTempFile("s3-out", ".bin");
    try {
      byte[] data = new byte[(int) (2 * S3ObjectStore.CHUNK + 12_345)];
      new java.util.Random(7).nextBytes(data);
      java.nio.file.Files.write(in, data);
      store.putFile("models/t/m.safetensors", in, "application/octet-stream");
      assertTrue(store.getFile("models/t/m.safetensors", out));
      assertArrayEquals(data, java.nio.file.Files.readAllBytes(out));
      assertFalse(store.getFile("models/t/none.safetensors", out));
    } finally {
      java.nio.file.Files.deleteIfExists(in);
      java.nio.file.Files.deleteIfExists(out);
    }
  }

  @Test
  void putGetExistsDeleteRoundTrip() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, 3};
    String key = "jobs/1234/1/0.png";
    assertFalse(store.exists(key));
    assertTrue(store.get(key).isEmpty());
    store.put(key, png, "image/png");
    assertTrue(store.exists(key));
    assertArrayEquals(png, store.get(key).orElseThrow());
    store.put(key, png, "image/png"); // deterministic keys: rewriting is harmless
    store.delete(key);
    assertFalse(store.exists(key));
    store.delete(key); // deleting a missing key is not an error
  }

  @Test
  void listReturnsEveryKeyUnderThePrefix() {
    store.put("jobs/a/1/0.png", new byte[] {1}, "image/png");
    store.put("jobs/a/1/1.png", new byte[] {2}, "image/png");
    store.put("jobs/a/2/0.png", new byte[] {3}, "image/png");
    store.put("jobs/b/1/0.png", new byte[] {4}, "image/png");
    store.put("uploads/x.png", new byte[] {5}, "image/png");
    assertEquals(
        List.of("jobs/a/1/0.png", "jobs/a/1/1.png", "jobs/a/2/0.png"),
        store.list("jobs/a/").stream().sorted().toList());
    assertEquals(5, store.list("").size());
    assertTrue(store.list("nothing/").isEmpty());
  }

  @Test
  void presignedUrlServesTheObjectWithItsContentType() throws Exception {
    byte[] body = "hello farm".getBytes(StandardCharsets.UTF_8);
    store.put("shared/hello.txt", body, "text/plain");
    URI url = store.presignGet("shared/hello.txt", Duration.ofMinutes(5));
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode());
    assertArrayEquals(body, response.body());
    assertEquals("text/plain", response.headers().firstValue("content-type").orElseThrow());
    assertThrows(IllegalArgumentException.class, () -> store.presignGet("x", Duration.ofDays(8)));
    assertThrows(IllegalArgumentException.class, () -> store.presignGet("x", Duration.ZERO));
  }

  @Test
  void badKeysAreRejectedNamingTheKey() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> store.put("/abs", new byte[0], null));
    assertTrue(e.getMessage().contains("key"));
    assertThrows(IllegalArgumentException.class, () -> store.get(""));
  }

  @Test
  void connectCreatesAMissingBucketAndToleratesAnExistingOne() {
    try (S3ObjectStore again = S3ObjectStore.connect(settings(store.bucket()))) {
      again.put("k", new byte[] {7}, null);
      assertArrayEquals(new byte[] {7}, store.get("k").orElseThrow());
    }
  }

  @Test
  void transientOutagesAreRetried() throws Exception {
    s3.stop();
    CompletableFuture<Void> restart =
        CompletableFuture.runAsync(
            () -> {
              sleep(700);
              s3.start();
            });
    store.put("during/outage.png", new byte[] {9}, "image/png");
    restart.get();
    assertArrayEquals(new byte[] {9}, store.get("during/outage.png").orElseThrow());
  }

  @Test
  void aLastingOutageFailsAsTransient() {
    s3.stop();
    ObjectStoreException e =
        assertThrows(ObjectStoreException.class, () -> store.get("any/key.png"));
    assertTrue(e.isTransient());
    assertTrue(e.getMessage().contains("any/key.png"), e.getMessage());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
