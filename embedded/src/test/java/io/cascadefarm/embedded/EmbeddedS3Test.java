package io.cascadefarm.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedS3Test {
  @TempDir Path dir;

  @Test
  void objectsOnTheFilesystemStoreSurviveStopStartAndANewInstance() throws Exception {
    try (EmbeddedS3 s3 = EmbeddedS3.builder().home(dir).bucket("renders").build().start();
        MinioClient c = client(s3)) {
      assertTrue(c.bucketExists(BucketExistsArgs.builder().bucket("renders").build()));
      S3Clients.put(c, "renders", "job-1/0/0.png", "png bytes");
      S3Clients.put(c, "renders", "job-1/0/1.png", "more bytes");
      assertEquals("png bytes", S3Clients.get(c, "renders", "job-1/0/0.png"));
      assertEquals(9, S3Clients.stat(c, "renders", "job-1/0/0.png").size());
      assertEquals("text/plain", S3Clients.stat(c, "renders", "job-1/0/0.png").contentType());
      assertEquals(
          List.of("job-1/0/0.png", "job-1/0/1.png"), S3Clients.list(c, "renders", "job-1/"));
      HttpResponse<String> presigned = S3Clients.presignedGet(c, "renders", "job-1/0/1.png");
      assertEquals(200, presigned.statusCode());
      assertEquals("more bytes", presigned.body());

      s3.stop();
      assertFalse(s3.isRunning());
      assertThrows(IOException.class, () -> S3Clients.get(c, "renders", "job-1/0/0.png"));
      s3.start();

      assertEquals("png bytes", S3Clients.get(c, "renders", "job-1/0/0.png"));
    }
    assertTrue(Files.isDirectory(dir.resolve("renders")), "one directory per bucket");

    try (EmbeddedS3 again = EmbeddedS3.builder().home(dir).bucket("renders").build().start();
        MinioClient c = client(again)) {
      assertEquals("more bytes", S3Clients.get(c, "renders", "job-1/0/1.png"));
    }
  }

  @Test
  void inMemoryStoreChecksSignatures() throws Exception {
    try (EmbeddedS3 s3 = EmbeddedS3.builder().credentials("ak", "sk-123456").build().start();
        MinioClient good = client(s3);
        MinioClient bad = S3Clients.client(s3.endpoint(), "ak", "wrong-secret", s3.region())) {
      S3Clients.put(good, "farm", "k", "v");
      assertEquals("v", S3Clients.get(good, "farm", "k"));
      ErrorResponseException e =
          assertThrows(ErrorResponseException.class, () -> S3Clients.get(bad, "farm", "k"));
      assertEquals(403, e.response().code());
    }
  }

  @Test
  void busyFixedPortAndBadBucketAreReportedClearly() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      EmbeddedS3 s3 = EmbeddedS3.builder().port(busy.getLocalPort()).build();
      PortInUseException e = assertThrows(PortInUseException.class, s3::start);
      assertTrue(e.getMessage().contains("S3"), e.getMessage());
      s3.close();
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EmbeddedS3.builder().bucket("Bad_Bucket").build());
    assertTrue(e.getMessage().contains("bucket"), e.getMessage());
  }

  private static MinioClient client(EmbeddedS3 s3) {
    return S3Clients.client(s3.endpoint(), s3.accessKey(), s3.secretKey(), s3.region());
  }
}
