package io.cascadefarm.infra.s3;

import io.cascadefarm.common.config.S3Settings;
import io.cascadefarm.common.port.ObjectStore;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.http.Method;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@link ObjectStore} on an S3-compatible server through the MinIO SDK. The bucket is created if
 * missing; transient failures are retried with backoff ({@link S3Retry}); everything else surfaces
 * as {@link ObjectStoreException}. {@link #close()} closes the SDK's HTTP client (its dispatcher
 * thread would otherwise keep a JVM alive for a minute).
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {
  private static final Duration MAX_PRESIGN = Duration.ofDays(7);

  private final MinioClient client;
  private final MinioClient presigner;
  private final String bucket;
  private final S3Retry retry;

  S3ObjectStore(MinioClient client, String bucket, S3Retry retry) {
    this(client, client, bucket, retry);
  }

  private S3ObjectStore(MinioClient client, MinioClient presigner, String bucket, S3Retry retry) {
    this.client = client;
    this.presigner = presigner;
    this.bucket = requireText(bucket, "farm.s3.bucket");
    this.retry = retry;
  }

  /** Longest wait to connect to S3. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  /** Longest one S3 request may take in all (a 20 MiB upload on a slow link fits). */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  /**
   * No retry of a failed S3 call starts later than this after its first try: with {@link
   * #CALL_TIMEOUT} per try, a call ends within about 30 s even when S3 silently drops packets,
   * shorter than the API's request deadline. (Workers retry on top of it for {@code
   * farm.worker.storage-retry}.)
   */
  public static final Duration RETRY_BUDGET = Duration.ofSeconds(20);

  /** Connects with {@code settings} and makes sure the bucket exists. */
  public static S3ObjectStore connect(S3Settings settings) {
    return connect(settings, settings.endpoint());
  }

  /**
   * Connects with {@code settings} and signs presigned URLs for {@code presignEndpoint}: the
   * address clients reach S3 at ({@code farm.s3.public-endpoint}), which may differ from the one
   * the farm uses inside its network. Signing needs no request to that address (the region is
   * configured), and the signature covers its host, so the URL works there and only there.
   */
  public static S3ObjectStore connect(S3Settings settings, String presignEndpoint) {
    requireSecret(settings.accessKey(), "farm.s3.access-key", "FARM_S3_ACCESS_KEY");
    requireSecret(settings.secretKey(), "farm.s3.secret-key", "FARM_S3_SECRET_KEY");
    okhttp3.OkHttpClient http =
        new okhttp3.OkHttpClient.Builder()
            .connectTimeout(CONNECT_TIMEOUT)
            .readTimeout(CALL_TIMEOUT)
            .writeTimeout(CALL_TIMEOUT)
            .callTimeout(CALL_TIMEOUT)
            .protocols(java.util.List.of(okhttp3.Protocol.HTTP_1_1))
            .build();
    MinioClient client = client(settings, settings.endpoint(), "farm.s3.endpoint", http);
    MinioClient presigner =
        presignEndpoint == null
                || presignEndpoint.isBlank()
                || presignEndpoint.equals(settings.endpoint())
            ? client
            : client(settings, presignEndpoint, "farm.s3.public-endpoint", http);
    S3ObjectStore store =
        new S3ObjectStore(client, presigner, settings.bucket(), S3Retry.defaults());
    try {
      store.ensureBucket();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  private static MinioClient client(
      S3Settings settings, String endpoint, String key, okhttp3.OkHttpClient http) {
    return MinioClient.builder()
        .endpoint(requireText(endpoint, key))
        .credentials(settings.accessKey(), settings.secretKey())
        .region(settings.region())
        .httpClient(http, true)
        .build();
  }

  /** Creates the bucket if it does not exist (safe to call repeatedly, and concurrently). */
  public void ensureBucket() {
    retry.run(
        "create bucket " + bucket,
        () -> {
          if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            try {
              client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            } catch (io.minio.errors.ErrorResponseException e) {
              String code = e.errorResponse() == null ? "" : e.errorResponse().code();
              if (!code.startsWith("BucketAlready")) {
                throw e;
              }
            }
          }
          return null;
        });
  }

  public String bucket() {
    return bucket;
  }

  @Override
  public void put(String key, byte[] data, String contentType) {
    String k = requireKey(key);
    retry.run(
        "put " + k,
        () ->
            client.putObject(
                PutObjectArgs.builder().bucket(bucket).object(k).stream(
                        new ByteArrayInputStream(data), data.length, -1)
                    .contentType(contentType == null ? "application/octet-stream" : contentType)
                    .build()));
  }

  @Override
  public Optional<byte[]> get(String key) {
    String k = requireKey(key);
    return retry.run(
        "get " + k,
        () -> {
          try (GetObjectResponse in =
              client.getObject(GetObjectArgs.builder().bucket(bucket).object(k).build())) {
            return Optional.of(in.readAllBytes());
          } catch (Exception e) {
            if (S3Errors.isMissing(e)) {
              return Optional.empty();
            }
            throw e;
          }
        });
  }

  /**
   * Bytes per request of {@link #putFile} parts and {@link #getFile} ranges (each within the call
   * timeout).
   */
  static final long CHUNK = 16L << 20;

  /** Streams the file; the SDK uploads it in parts of {@link #CHUNK} bytes (multipart). */
  @Override
  public void putFile(String key, java.nio.file.Path file, String contentType) {
    String k = requireKey(key);
    retry.run(
        "put " + k,
        () -> {
          long size = java.nio.file.Files.size(file);
          try (java.io.InputStream in =
              new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file), 1 << 20)) {
            return client.putObject(
                PutObjectArgs.builder().bucket(bucket).object(k).stream(
                        in, size, size > CHUNK ? CHUNK : -1)
                    .contentType(contentType == null ? "application/octet-stream" : contentType)
                    .build());
          }
        });
  }

  /** Downloads in ranges of {@link #CHUNK} bytes, each one request. */
  @Override
  public boolean getFile(String key, java.nio.file.Path file) {
    String k = requireKey(key);
    return retry.run(
        "get " + k,
        () -> {
          long size;
          try {
            size =
                client.statObject(StatObjectArgs.builder().bucket(bucket).object(k).build()).size();
          } catch (Exception e) {
            if (S3Errors.isMissing(e)) {
              return false;
            }
            throw e;
          }
          try (java.io.OutputStream out =
              new java.io.BufferedOutputStream(
                  java.nio.file.Files.newOutputStream(file), 1 << 20)) {
            for (long off = 0; off < size; off += CHUNK) {
              try (GetObjectResponse in =
                  client.getObject(
                      GetObjectArgs.builder()
                          .bucket(bucket)
                          .object(k)
                          .offset(off)
                          .length(Math.min(CHUNK, size - off))
                          .build())) {
                in.transferTo(out);
              }
            }
          }
          return true;
        });
  }

  @Override
  public boolean exists(String key) {
    String k = requireKey(key);
    return retry.run(
        "stat " + k,
        () -> {
          try {
            client.statObject(StatObjectArgs.builder().bucket(bucket).object(k).build());
            return true;
          } catch (Exception e) {
            if (S3Errors.isMissing(e)) {
              return false;
            }
            throw e;
          }
        });
  }

  @Override
  public URI presignGet(String key, Duration ttl) {
    String k = requireKey(key);
    if (ttl == null || ttl.toSeconds() < 1 || ttl.compareTo(MAX_PRESIGN) > 0) {
      throw new IllegalArgumentException("ttl must be between 1 s and 7 days, got " + ttl);
    }
    String url =
        retry.run(
            "presign " + k,
            () ->
                presigner.getPresignedObjectUrl(
                    GetPresignedObjectUrlArgs.builder()
                        .method(Method.GET)
                        .bucket(bucket)
                        .object(k)
                        .expiry((int) ttl.toSeconds(), TimeUnit.SECONDS)
                        .build()));
    return URI.create(url);
  }

  @Override
  public List<String> list(String prefix) {
    String p = prefix == null ? "" : prefix;
    return retry.run(
        "list " + p,
        () -> {
          List<String> keys = new ArrayList<>();
          Iterable<Result<Item>> items =
              client.listObjects(
                  ListObjectsArgs.builder().bucket(bucket).prefix(p).recursive(true).build());
          for (Result<Item> r : items) {
            Item item = r.get();
            if (!item.isDir()) {
              keys.add(item.objectName());
            }
          }
          return keys;
        });
  }

  @Override
  public void delete(String key) {
    String k = requireKey(key);
    retry.run(
        "delete " + k,
        () -> {
          client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(k).build());
          return null;
        });
  }

  @Override
  public void close() {
    try {
      client.close();
      if (presigner != client) {
        presigner.close();
      }
    } catch (Exception e) {
      throw new ObjectStoreException("closing the S3 client failed", e, false);
    }
  }

  private static String requireKey(String key) {
    if (key == null || key.isBlank() || key.startsWith("/")) {
      throw new IllegalArgumentException(
          "key must be a non-empty bucket-relative path without a leading '/', got '" + key + "'");
    }
    return key;
  }

  private static void requireSecret(String value, String name, String env) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          name
              + " is not set: there is no default S3 credential; set the environment variable "
              + env
              + " (or "
              + name
              + " in --config FILE) (see README, Secrets)");
    }
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }
}
