package io.cascadefarm.embedded;

import java.nio.file.Path;
import java.util.Properties;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * Opens the jclouds blob store behind {@link EmbeddedS3}: {@code filesystem-nio2} on a directory
 * (one sub-directory per bucket) or the in-memory {@code transient-nio2}. The legacy {@code
 * filesystem} provider is avoided because it lists phantom directory entries.
 */
final class S3BlobStores {
  private S3BlobStores() {}

  static BlobStoreContext open(Path dataDir) {
    Properties overrides = new Properties();
    String provider = "transient-nio2";
    if (dataDir != null) {
      provider = "filesystem-nio2";
      overrides.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
    }
    return ContextBuilder.newBuilder(provider)
        .credentials("identity", "credential")
        .overrides(overrides)
        .build(BlobStoreContext.class);
  }

  static void ensureBucket(BlobStore store, String bucket) {
    if (!store.containerExists(bucket)) {
      store.createContainerInLocation(null, bucket);
    }
  }

  /** S3 bucket naming rules (the subset that matters for path-style access). */
  static void requireValidBucket(String bucket) {
    if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException(
          "S3 bucket must be 3-63 characters of a-z, 0-9, '.' and '-' but was '" + bucket + "'");
    }
  }
}
