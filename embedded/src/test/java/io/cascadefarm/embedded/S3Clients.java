package io.cascadefarm.embedded;

import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.http.Method;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** MinIO SDK helpers for the S3 tests; callers close the client. */
final class S3Clients {
  private S3Clients() {}

  static MinioClient client(String endpoint, String accessKey, String secretKey, String region) {
    return MinioClient.builder()
        .endpoint(endpoint)
        .credentials(accessKey, secretKey)
        .region(region)
        .build();
  }

  static void put(MinioClient c, String bucket, String key, String text) throws Exception {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    c.putObject(
        PutObjectArgs.builder().bucket(bucket).object(key).stream(
                new ByteArrayInputStream(bytes), bytes.length, -1)
            .contentType("text/plain")
            .build());
  }

  static String get(MinioClient c, String bucket, String key) throws Exception {
    try (InputStream in = c.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static StatObjectResponse stat(MinioClient c, String bucket, String key) throws Exception {
    return c.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
  }

  static List<String> list(MinioClient c, String bucket, String prefix) throws Exception {
    List<String> keys = new ArrayList<>();
    for (Result<Item> r :
        c.listObjects(
            ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
      keys.add(r.get().objectName());
    }
    return keys;
  }

  /** Fetches a presigned GET URL with java.net.http; returns status and body. */
  static HttpResponse<String> presignedGet(MinioClient c, String bucket, String key)
      throws Exception {
    String url =
        c.getPresignedObjectUrl(
            GetPresignedObjectUrlArgs.builder()
                .method(Method.GET)
                .bucket(bucket)
                .object(key)
                .expiry(600)
                .build());
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
