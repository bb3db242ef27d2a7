package io.cascadefarm.dispatcher.upload;

import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.dispatcher.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Who may write a LoRA name: the tenant in {@code loras/<name>.owner}, or anyone when the name is
 * unused. Two tenants racing for a new name within one request time may both pass (the later upload
 * wins and owns it); after that the name is fixed.
 */
final class LoraOwners {
  private LoraOwners() {}

  /** Makes {@code tenant} the owner of a free name, or checks it already is; else 409. */
  static void claim(ObjectStore objects, String name, String tenant) {
    Optional<byte[]> owner = objects.get(LoraUploads.ownerKey(name));
    if (owner.isPresent()) {
      if (!new String(owner.get(), StandardCharsets.UTF_8).equals(tenant)) {
        throw taken(name);
      }
      return;
    }
    if (objects.exists(LoraUploads.shaKey(name))) {
      throw taken(name); // put there by the operator (or before owners existed)
    }
    objects.put(LoraUploads.ownerKey(name), tenant.getBytes(StandardCharsets.UTF_8), "text/plain");
  }

  private static ApiException taken(String name) {
    return ApiException.conflict(
        "name", "LoRA name '" + name + "' is taken (names are global); choose another name");
  }
}
