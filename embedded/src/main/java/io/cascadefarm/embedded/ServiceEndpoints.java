package io.cascadefarm.embedded;

import java.util.Objects;
import java.util.Properties;

/**
 * How to reach a running set of services. {@link #toProperties()} gives the {@code farm.*} keys the
 * farm's config classes read, e.g. for {@code <data-dir>/farm.properties}.
 *
 * @param kafkaBootstrapServers {@code host:port[,host:port]}
 * @param jdbcUrl {@code jdbc:postgresql://host:port/db}
 * @param dbUser database role
 * @param dbPassword database password
 * @param s3Endpoint {@code http://host:port} (path-style access)
 * @param s3AccessKey S3 access key
 * @param s3SecretKey S3 secret key
 * @param s3Bucket the bucket, already created
 * @param s3Region the signing region
 */
public record ServiceEndpoints(
    String kafkaBootstrapServers,
    String jdbcUrl,
    String dbUser,
    String dbPassword,
    String s3Endpoint,
    String s3AccessKey,
    String s3SecretKey,
    String s3Bucket,
    String s3Region) {
  public static final String KAFKA_BOOTSTRAP_SERVERS = "farm.kafka.bootstrap-servers";
  public static final String DB_URL = "farm.db.url";
  public static final String DB_USER = "farm.db.user";
  public static final String DB_PASSWORD = "farm.db.password";
  public static final String S3_ENDPOINT = "farm.s3.endpoint";
  public static final String S3_ACCESS_KEY = "farm.s3.access-key";
  public static final String S3_SECRET_KEY = "farm.s3.secret-key";
  public static final String S3_BUCKET = "farm.s3.bucket";
  public static final String S3_REGION = "farm.s3.region";

  public ServiceEndpoints {
    Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(dbUser, "dbUser");
    Objects.requireNonNull(dbPassword, "dbPassword");
    Objects.requireNonNull(s3Endpoint, "s3Endpoint");
    Objects.requireNonNull(s3AccessKey, "s3AccessKey");
    Objects.requireNonNull(s3SecretKey, "s3SecretKey");
    Objects.requireNonNull(s3Bucket, "s3Bucket");
    Objects.requireNonNull(s3Region, "s3Region");
  }

  /** The nine {@code farm.*} connection keys. */
  public Properties toProperties() {
    Properties p = new Properties();
    p.setProperty(KAFKA_BOOTSTRAP_SERVERS, kafkaBootstrapServers);
    p.setProperty(DB_URL, jdbcUrl);
    p.setProperty(DB_USER, dbUser);
    p.setProperty(DB_PASSWORD, dbPassword);
    p.setProperty(S3_ENDPOINT, s3Endpoint);
    p.setProperty(S3_ACCESS_KEY, s3AccessKey);
    p.setProperty(S3_SECRET_KEY, s3SecretKey);
    p.setProperty(S3_BUCKET, s3Bucket);
    p.setProperty(S3_REGION, s3Region);
    return p;
  }

  /** Like the record's default, with the two secrets masked. */
  @Override
  public String toString() {
    return "ServiceEndpoints[kafka="
        + kafkaBootstrapServers
        + ", jdbcUrl="
        + jdbcUrl
        + ", dbUser="
        + dbUser
        + ", dbPassword=***, s3Endpoint="
        + s3Endpoint
        + ", s3AccessKey="
        + s3AccessKey
        + ", s3SecretKey=***, s3Bucket="
        + s3Bucket
        + ", s3Region="
        + s3Region
        + "]";
  }
}
