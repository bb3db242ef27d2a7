package io.cascadefarm.embedded;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Kafka ({@code apache/kafka}), PostgreSQL and MinIO in Docker containers via Testcontainers 2.0.
 * Image names can be overridden with the system properties {@code farm.test.image.kafka}, {@code
 * .postgres} and {@code .minio}. MinIO comes from quay.io because Docker Hub stopped serving {@code
 * minio/minio}.
 *
 * <p><b>Not exercised in this repository's CI:</b> the build machine has no Docker engine, so this
 * class is compiled but has never been run here. The embedded path is the tested one.
 */
final class ContainerServices implements RunningServices {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerServices.class);
  private static final String BUCKET = "farm";
  private static final String REGION = "us-east-1";

  private final KafkaContainer kafka = new KafkaContainer(image("kafka", "apache/kafka:4.2.2"));
  private final PostgreSQLContainer postgres =
      new PostgreSQLContainer(image("postgres", "postgres:17-alpine"))
          .withDatabaseName("farm")
          .withUsername("farm")
          .withPassword(Secrets.random());
  private final MinIOContainer minio =
      new MinIOContainer(
              DockerImageName.parse(
                      image("minio", "quay.io/minio/minio:RELEASE.2025-02-28T09-55-16Z"))
                  .asCompatibleSubstituteFor("minio/minio"))
          .withUserName("farm-access-key")
          .withPassword(Secrets.random());

  private static String image(String name, String fallback) {
    return System.getProperty("farm.test.image." + name, fallback);
  }

  ContainerServices start() {
    long t0 = System.nanoTime();
    try {
      Startables.deepStart(List.of(kafka, postgres, minio)).join();
      createBucket();
    } catch (RuntimeException e) {
      close();
      throw new IllegalStateException("Testcontainers services did not start", e);
    }
    LOG.info("container services ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
    return this;
  }

  private void createBucket() {
    try (MinioClient client =
        MinioClient.builder()
            .endpoint(minio.getS3URL())
            .credentials(minio.getUserName(), minio.getPassword())
            .region(REGION)
            .build()) {
      if (!client.bucketExists(BucketExistsArgs.builder().bucket(BUCKET).build())) {
        client.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot create bucket " + BUCKET + " in MinIO", e);
    }
  }

  @Override
  public ServiceEndpoints endpoints() {
    return new ServiceEndpoints(
        kafka.getBootstrapServers(),
        postgres.getJdbcUrl(),
        postgres.getUsername(),
        postgres.getPassword(),
        minio.getS3URL(),
        minio.getUserName(),
        minio.getPassword(),
        BUCKET,
        REGION);
  }

  @Override
  public void close() {
    for (AutoCloseable c : List.<AutoCloseable>of(kafka, postgres, minio)) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("stopping a container failed", e);
      }
    }
  }
}
