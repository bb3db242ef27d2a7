package io.cascadefarm.dispatcher.upload;

import io.cascadefarm.codec.lora.LoraFileCheck;
import io.cascadefarm.common.contract.JobContract;
import io.cascadefarm.common.digest.Sha256;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.api.FieldError;
import io.cascadefarm.dispatcher.service.StoreGuard;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code POST /v1/loras?name=<name>}: stores a LoRA safetensors file once under {@code
 * loras/<name>.safetensors} plus its SHA-256 in {@code loras/<name>.sha256} (workers cache the file
 * locally by name and hash). The header is validated with the workers' reader rules ({@link
 * LoraFileCheck}: dtypes, shapes, byte ranges, key layout, and the {@code train_tokens} metadata
 * with the workers' RE2/J rules) before anything is stored; uploading the same name again replaces
 * the LoRA for jobs that start afterwards.
 *
 * <p>Names are global and owned: {@code loras/<name>.owner} holds the tenant that first uploaded
 * it, and only that tenant may replace it; another tenant gets 409. A LoRA is private to its owner
 * unless uploaded with {@code shared=true} ({@code loras/<name>.shared}); another tenant naming a
 * private LoRA in a job gets the same 400 as for an unknown name. The file is also stored under its
 * content hash ({@code loras/sha256/<sha>.safetensors}, never replaced), and every job pins the
 * hash at submit: a later upload under the same name changes nothing for queued jobs, and the
 * worker checks the file against the pinned hash from PostgreSQL. A LoRA without an owner file
 * (placed by the operator) is usable by everyone and cannot be replaced through the API.
 */
public final class LoraUploads {
  private final ObjectStore objects;
  private final int maxBytes;

  public LoraUploads(ObjectStore objects, int maxBytes) {
    this.objects = objects;
    this.maxBytes = maxBytes;
  }

  /** S3 key of a LoRA's file. */
  public static String fileKey(String name) {
    return "loras/" + name + ".safetensors";
  }

  /** S3 key of a LoRA's SHA-256 (hex). */
  public static String shaKey(String name) {
    return "loras/" + name + ".sha256";
  }

  /** S3 key of a LoRA file by its content (never replaced: jobs pin it). */
  public static String contentKey(String sha256) {
    return "loras/sha256/" + sha256 + ".safetensors";
  }

  /** S3 key whose presence makes a LoRA usable by every tenant. */
  public static String sharedKey(String name) {
    return "loras/" + name + ".shared";
  }

  /** The stored LoRA, as answered to the client. */
  public record LoraResult(String name, String key, String sha256, long bytes, int tensors) {}

  /** S3 key of the tenant that owns a LoRA name. */
  public static String ownerKey(String name) {
    return "loras/" + name + ".owner";
  }

  public LoraResult store(String name, byte[] body, String tenant) {
    return store(name, body, tenant, false);
  }

  /**
   * Stores the LoRA for {@code tenant}; with {@code shared} every tenant may use it by name,
   * otherwise only its owner.
   */
  public LoraResult store(String name, byte[] body, String tenant, boolean shared) {
    if (name == null || name.isEmpty()) {
      throw bad(400, "name", "is required: POST /v1/loras?name=<name>");
    }
    if (!JobContract.LORA_NAME.matches(name)) {
      throw bad(400, "name", "must be letters, digits, '.', '_' or '-' (at most 128)");
    }
    if (body.length == 0) {
      throw bad(400, "body", "is empty: send the LoRA safetensors file as the request body");
    }
    if (body.length > maxBytes) {
      throw bad(413, "body", "is larger than " + maxBytes + " bytes");
    }
    int tensors;
    try {
      tensors = LoraFileCheck.validate(body);
    } catch (IllegalArgumentException e) {
      throw bad(400, "body", e.getMessage());
    }
    String sha = Sha256.hex(body);
    try {
      LoraOwners.claim(objects, name, tenant);
      if (!objects.exists(contentKey(sha))) {
        objects.put(contentKey(sha), body, "application/octet-stream");
      }
      objects.put(fileKey(name), body, "application/octet-stream");
      objects.put(shaKey(name), sha.getBytes(StandardCharsets.US_ASCII), "text/plain");
      if (shared) {
        objects.put(sharedKey(name), tenant.getBytes(StandardCharsets.UTF_8), "text/plain");
      } else if (objects.exists(sharedKey(name))) {
        objects.delete(sharedKey(name));
      }
    } catch (ApiException e) {
      throw e;
    } catch (RuntimeException e) {
      throw ApiException.objectStoreUnavailable(
          "body", "could not be stored: object store unavailable", StoreGuard.RETRY_AFTER_SECONDS);
    }
    return new LoraResult(name, fileKey(name), sha, body.length, tensors);
  }

  private static ApiException bad(int status, String field, String message) {
    String code = status == 413 ? "too_large" : "invalid_request";
    return new ApiException(
        status, code, field + " " + message, List.of(new FieldError(field, message)), 0);
  }
}
