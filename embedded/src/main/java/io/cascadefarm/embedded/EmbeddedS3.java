package io.cascadefarm.embedded;

import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.blobstore.BlobStoreContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3 HTTP endpoint (S3Proxy 2.6 over jclouds) with AWS V2/V4 signature checking, on a
 * directory ({@code filesystem-nio2}: one sub-directory per bucket, objects survive restarts) or in
 * memory ({@code transient-nio2}, when no {@link Builder#home} is given). The bucket is created on
 * start if missing. Clients must use path-style URLs (the MinIO SDK does so for IP endpoints).
 *
 * <p>{@link #stop()} takes the HTTP endpoint down but keeps the blob store open (so even in-memory
 * objects survive a stop/start, e.g. for an S3 outage test); {@link #close()} releases it. Port 0
 * picks a free port on the first start; later starts reuse it.
 *
 * <pre>{@code
 * try (EmbeddedS3 s3 = EmbeddedS3.builder().home(dir).bucket("farm").build().start()) {
 *   MinioClient c = MinioClient.builder().endpoint(s3.endpoint())
 *       .credentials(s3.accessKey(), s3.secretKey()).region(s3.region()).build();
 * }
 * }</pre>
 */
public final class EmbeddedS3 implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3.class);
  private static final long START_TIMEOUT_MILLIS = 15_000;

  private final Path home;
  private final String accessKey;
  private final String secretKey;
  private final String bucket;
  private final String region;
  private int port;
  private BlobStoreContext context;
  private S3Proxy proxy;

  private EmbeddedS3(Builder b) {
    this.home = b.home == null ? null : b.home.toAbsolutePath();
    this.accessKey = b.accessKey;
    this.secretKey = b.secretKey;
    this.bucket = b.bucket;
    this.region = b.region;
    this.port = b.port;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Opens the blob store (once), creates the bucket if missing, starts HTTP; no-op if up. */
  public synchronized EmbeddedS3 start() {
    if (proxy != null) {
      return this;
    }
    QuietLogging.apply();
    long t0 = System.nanoTime();
    if (port != 0) {
      Ports.requireFree(port, "S3");
    }
    if (context == null) {
      context = S3BlobStores.open(home == null ? null : Dirs.create(home));
    }
    S3BlobStores.ensureBucket(context.getBlobStore(), bucket);
    S3Proxy candidate = buildProxy();
    try {
      candidate.start();
      awaitStarted(candidate);
    } catch (Exception e) {
      stopQuietly(candidate);
      if (hasCause(e, BindException.class)) {
        throw new PortInUseException("S3", port);
      }
      throw new IllegalStateException("S3Proxy did not start on port " + port, e);
    }
    proxy = candidate;
    port = candidate.getPort();
    LOG.info(
        "S3 ready at {} (bucket {}, {}) in {} ms",
        endpoint(),
        bucket,
        home == null ? "in memory" : home,
        (System.nanoTime() - t0) / 1_000_000);
    return this;
  }

  private S3Proxy buildProxy() {
    return S3Proxy.builder()
        .blobStore(context.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .build();
  }

  private static void awaitStarted(S3Proxy candidate) throws InterruptedException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (!"STARTED".equals(candidate.getState())) {
      if ("FAILED".equals(candidate.getState()) || System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("S3Proxy state " + candidate.getState());
      }
      Thread.sleep(10);
    }
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** Takes the HTTP endpoint down (connections are refused); the stored objects stay. */
  public synchronized void stop() {
    if (proxy != null) {
      stopQuietly(proxy);
      proxy = null;
      LOG.info("S3 endpoint on port {} stopped", port);
    }
  }

  private static void stopQuietly(S3Proxy candidate) {
    try {
      candidate.stop();
    } catch (Exception e) {
      LOG.warn("S3Proxy stop reported an error", e);
    }
  }

  public synchronized boolean isRunning() {
    return proxy != null;
  }

  /** {@code http://127.0.0.1:<port>}; known after the first start. */
  public synchronized String endpoint() {
    if (port == 0) {
      throw new IllegalStateException("S3 port is chosen on the first start(); start it first");
    }
    return "http://127.0.0.1:" + port;
  }

  public synchronized int port() {
    return port;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  public String bucket() {
    return bucket;
  }

  public String region() {
    return region;
  }

  /** The blob directory, or null for the in-memory store. */
  public Path home() {
    return home;
  }

  /** Stops the endpoint and closes the blob store (in-memory objects are gone). */
  @Override
  public synchronized void close() {
    stop();
    if (context != null) {
      context.close();
      context = null;
    }
  }

  /** Options for {@link EmbeddedS3}; every setting has a default. */
  public static final class Builder {
    private Path home;
    private int port;
    private String accessKey = "farm-access-key";
    private String secretKey = Secrets.random();
    private String bucket = "farm";
    private String region = "us-east-1";

    private Builder() {}

    /** Blob directory ({@code filesystem-nio2}); default: in memory ({@code transient-nio2}). */
    public Builder home(Path home) {
      this.home = home;
      return this;
    }

    /** 0 (default) picks a free port on the first start. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder credentials(String accessKey, String secretKey) {
      this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
      this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
      return this;
    }

    public Builder bucket(String bucket) {
      this.bucket = bucket;
      return this;
    }

    /** Region reported to clients (S3Proxy accepts any region in V4 signatures). */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /**
     * @throws IllegalArgumentException if the bucket name breaks the S3 naming rules
     */
    public EmbeddedS3 build() {
      S3BlobStores.requireValidBucket(bucket);
      return new EmbeddedS3(this);
    }
  }
}
