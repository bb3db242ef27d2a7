package io.cascadefarm.common.config;

import java.time.Duration;
import java.util.List;

/** How to reach the S3-compatible object store (MinIO in production). */
public record S3Settings(
    String endpoint,
    String accessKey,
    String secretKey,
    String bucket,
    String region,
    Duration presignTtl) {
  public static final ConfigKey ENDPOINT =
      new ConfigKey("farm.s3.endpoint", "http://localhost:9000", "S3 API endpoint URL");
  public static final ConfigKey ACCESS_KEY =
      new ConfigKey("farm.s3.access-key", "", "S3 access key (required; no default, see Secrets)");
  public static final ConfigKey SECRET_KEY =
      new ConfigKey("farm.s3.secret-key", "", "S3 secret key (required; no default, see Secrets)");
  public static final ConfigKey BUCKET =
      new ConfigKey(
          "farm.s3.bucket", "farm", "Bucket for uploads and results (created if missing)");
  public static final ConfigKey REGION = new ConfigKey("farm.s3.region", "us-east-1", "S3 region");
  public static final ConfigKey PRESIGN_TTL =
      new ConfigKey("farm.s3.presign-ttl", "1h", "Lifetime of presigned result URLs");
  public static final List<ConfigKey> KEYS =
      List.of(ENDPOINT, ACCESS_KEY, SECRET_KEY, BUCKET, REGION, PRESIGN_TTL);

  public static S3Settings from(ConfigSource c) {
    return new S3Settings(
        c.get(ENDPOINT),
        c.get(ACCESS_KEY),
        c.get(SECRET_KEY),
        c.get(BUCKET),
        c.get(REGION),
        c.getDuration(PRESIGN_TTL));
  }

  @Override
  public String toString() {
    return "S3Settings[endpoint=" + endpoint + ", bucket=" + bucket + ", secretKey=***]";
  }
}
