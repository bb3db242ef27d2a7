package io.cascadefarm.dispatcher.upload;

import io.cascadefarm.codec.image.ImageCodec;
import io.cascadefarm.codec.image.ImageHeader;
import io.cascadefarm.codec.image.ImageRejectedException;
import io.cascadefarm.common.contract.JobContract;
import io.cascadefarm.common.dataset.DatasetArchive;
import io.cascadefarm.common.digest.Sha256;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.api.FieldError;
import io.cascadefarm.dispatcher.service.StoreGuard;
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
    String sha = Sha256.hex(body);
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

  /** Training images are at most this many pixels a side. */
  static final int MAX_SIDE = 4096;

  private static final ImageCodec IMAGES = ImageCodec.standard();

  /**
   * Null when {@code b} is a PNG, JPEG or WebP of at most {@value #MAX_SIDE} px a side that
   * decodes; the header is checked by the shared {@link ImageCodec} before any decoder allocates.
   */
  static String checkImage(byte[] b) {
    try {
      ImageHeader h = IMAGES.inspect(b);
      if (h.width() > MAX_SIDE || h.height() > MAX_SIDE) {
        return "is "
            + h.width()
            + "x"
            + h.height()
            + " (at most "
            + MAX_SIDE
            + "x"
            + MAX_SIDE
            + ")";
      }
      IMAGES.decode(b);
      return null;
    } catch (ImageRejectedException e) {
      return e.getMessage();
    }
  }

  private static ApiException bad(String field, String message) {
    return new ApiException(
        400, "invalid_request", field + " " + message, List.of(new FieldError(field, message)), 0);
  }
}
