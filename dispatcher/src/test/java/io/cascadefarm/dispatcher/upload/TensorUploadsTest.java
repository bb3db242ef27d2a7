package io.cascadefarm.dispatcher.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.fakes.MemoryObjectStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** POST /v1/uploads keeps a checked safetensors body (latents, embeddings) as sent. */
class TensorUploadsTest {

  static byte[] safetensors(String header, int dataBytes) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    return b.array();
  }

  @Test
  void aSafetensorsBodyIsStoredUnderItsHashWithTheSafetensorsExtension() {
    MemoryObjectStore store = new MemoryObjectStore();
    ImageUploads uploads = new ImageUploads(store, 1 << 20);
    byte[] body =
        safetensors(
            "{\"latents\":{\"dtype\":\"F32\",\"shape\":[1,16,2,2],\"data_offsets\":[0,256]}}", 256);
    UploadResult r = uploads.store(body);
    assertTrue(r.image().matches("uploads/[0-9a-f]{64}\\.safetensors"), r.image());
    assertEquals("safetensors", r.format());
    assertArrayEquals(body, store.objects.get(r.image()));
  }

  @Test
  void badHeadersAreRefusedBeforeAnythingIsStored() {
    MemoryObjectStore store = new MemoryObjectStore();
    ImageUploads uploads = new ImageUploads(store, 1 << 20);
    for (byte[] bad :
        new byte[][] {
          safetensors("{\"x\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", 16),
          safetensors("{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,64]}}", 16),
          safetensors("{\"x\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4),
          safetensors("{\"__metadata__\":{}}", 0),
          safetensors("{not json}", 0)
        }) {
      ApiException e = assertThrows(ApiException.class, () -> uploads.store(bad));
      assertEquals(400, e.status(), e.getMessage());
    }
    assertTrue(store.objects.isEmpty());
  }
}
