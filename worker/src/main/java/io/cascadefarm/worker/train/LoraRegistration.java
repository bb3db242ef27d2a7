package io.cascadefarm.worker.train;

import io.cascadefarm.common.port.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Registers a trained LoRA under its name for the job's tenant, with the keys and ownership rule of
 * {@code POST /v1/loras} (dispatcher {@code LoraUploads}/{@code LoraOwners}): {@code
 * loras/<name>.safetensors}, {@code loras/<name>.sha256}, {@code loras/<name>.owner}; a name owned
 * by another tenant, or placed by the operator without an owner, is refused.
 */
final class LoraRegistration {
  private LoraRegistration() {}

  /** Whether {@code tenant} may write {@code name} (unused, or already its own). */
  static boolean mayWrite(ObjectStore objects, String name, String tenant) {
    Optional<byte[]> owner = objects.get("loras/" + name + ".owner");
    if (owner.isPresent()) {
      return new String(owner.get(), StandardCharsets.UTF_8).equals(tenant);
    }
    return !objects.exists("loras/" + name + ".sha256");
  }

  /** Stores the file and its hash and claims the name; false if the name is another tenant's. */
  static boolean register(
      ObjectStore objects, String name, String tenant, byte[] file, String sha) {
    if (!mayWrite(objects, name, tenant)) {
      return false;
    }
    objects.put("loras/" + name + ".owner", tenant.getBytes(StandardCharsets.UTF_8), "text/plain");
    objects.put("loras/" + name + ".safetensors", file, "application/octet-stream");
    objects.put("loras/" + name + ".sha256", sha.getBytes(StandardCharsets.US_ASCII), "text/plain");
    return true;
  }
}
