package io.cascadefarm.dispatcher.upload;

import io.cascadefarm.common.contract.JobContract;
import io.cascadefarm.common.dataset.DatasetArchive;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.api.FieldError;
import io.cascadefarm.dispatcher.service.StoreGuard;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code POST /v1/datasets}: a {@code train_lora} dataset archive (zip or tar of {@code NNN.png} +
 * {@code NNN.txt}, webdataset-style) as the body. It is read completely before anything is stored
 * ({@link DatasetArchive}: at most {@link JobContract#MAX_DATASET_IMAGES} images, each at most the
 * upload limit and a readable PNG, JPEG or WebP, captions within the prompt limit) and stored
 * content-addressed as {@code uploads/<sha256>.zip} or {@code .tar}, the key a job's {@code
 * dataset.archive} names.
 */
public final class DatasetUploads {
  private final ObjectStore objects;
  private final int maxImageBytes;
  private final int maxCaptionChars;
  private final long maxBytes;

  public DatasetUploads(
      ObjectStore objects, int maxImageBytes, int maxCaptionChars, long maxBytes) {
    this.objects = objects;
    this.maxImageBytes = maxImageBytes;
    this.maxCaptionChars = maxCaptionChars;
    this.maxBytes = maxBytes;
  }

  /** What the client gets back. */
  public record DatasetResult(String archive, String sha256, int images, long bytes) {}

  public DatasetResult store(byte[] body) {
    if (body.length == 0) {
      throw bad("body", "is empty: send the zip or tar archive as the request body");
    }
    String format = DatasetArchive.format(body);
    if (format == null) {
      throw bad("body", "must be a zip or tar archive of NNN.png + NNN.txt pairs");
    }
    List<DatasetArchive.Entry> entries;
    try {
      entries =
          DatasetArchive.read(
              body,
              new DatasetArchive.Limits(
                  JobContract.MAX_DATASET_IMAGES, maxImageBytes, maxCaptionChars, 4 * maxBytes));
    } catch (IllegalArgumentException e) {
      throw bad("body", e.getMessage());
    }
    for (DatasetArchive.Entry e : entries) {
      String problem = checkImage(e.image());
      if (problem != null) {
        throw bad("body", "archive: image " + e.name() + " " + problem);
      }
    }
    String sha = sha256(body);
    String key = "uploads/" + sha + "." + format;
    try {
      if (!objects.exists(key)) {
        objects.put(key, body, "application/" + format);
      }
    } catch (RuntimeException e) {
      throw ApiException.objectStoreUnavailable(
          "body", "could not be stored: object store unavailable", StoreGuard.RETRY_AFTER_SECONDS);
    }
    return new DatasetResult(key, sha, entries.size(), body.length);
  }

  /** Null when {@code b} is a PNG, JPEG or WebP of at most 4096 x 4096 that decodes. */
  static String checkImage(byte[] b) {
    if (ImageFormat.sniff(b) == null) {
      return "is not a PNG, JPEG or WebP image";
    }
    try (javax.imageio.stream.ImageInputStream in =
        javax.imageio.ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(b))) {
      java.util.Iterator<javax.imageio.ImageReader> readers =
          javax.imageio.ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return "cannot be read";
      }
      javax.imageio.ImageReader r = readers.next();
      try {
        r.setInput(in);
        int w = r.getWidth(0);
        int h = r.getHeight(0);
        if (w < 1 || h < 1 || w > 4096 || h > 4096) {
          return "is " + w + "x" + h + " (at most 4096x4096)";
        }
        r.read(0);
      } finally {
        r.dispose();
      }
      return null;
    } catch (java.io.IOException | RuntimeException e) {
      return "cannot be decoded: " + e.getMessage();
    }
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ApiException bad(String field, String message) {
    return new ApiException(
        400, "invalid_request", field + " " + message, List.of(new FieldError(field, message)), 0);
  }
}
