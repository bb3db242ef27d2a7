package io.cascadefarm.cascade.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cascadefarm.cascade.io.Float16;
import io.cascadefarm.cascade.io.SafetensorsWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small safetensors files held in memory: caller-supplied latents and embeddings (uploads) and the
 * Stage C latents a {@code prior} job returns. Tensors are read as float32 from F32, F16 or BF16
 * data; the header must describe non-overlapping ranges inside the file.
 */
public final class TensorFiles {
  /** The tensor a prior result holds: diffusers' name for Stage C's output. */
  public static final String PRIOR_LATENTS = "image_embeddings";

  /** Largest header accepted (the files hold a handful of tensors). */
  static final int MAX_HEADER = 1 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private TensorFiles() {}

  /** Every tensor of {@code bytes} by name, in file order. */
  public static Map<String, HostTensor> read(byte[] bytes) {
    if (bytes.length < 8) {
      throw new IllegalArgumentException("is not a safetensors file (shorter than 8 bytes)");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = buf.getLong(0);
    if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > bytes.length - 8) {
      throw new IllegalArgumentException(
          "is not a safetensors file (header length " + headerLength + ")");
    }
    JsonNode header;
    try {
      header =
          JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      throw new IllegalArgumentException("has an unreadable safetensors header: " + e.getMessage());
    }
    if (header == null || !header.isObject()) {
      throw new IllegalArgumentException("has a safetensors header that is not a JSON object");
    }
    long dataStart = 8 + headerLength;
    Map<String, HostTensor> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = header.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      out.put(e.getKey(), tensor(e.getKey(), e.getValue(), bytes, dataStart));
    }
    return out;
  }

  private static HostTensor tensor(String name, JsonNode info, byte[] bytes, long dataStart) {
    String dtype = info.path("dtype").asText();
    int size =
        switch (dtype) {
          case "F32" -> 4;
          case "F16", "BF16" -> 2;
          default ->
              throw new IllegalArgumentException(
                  "tensor " + name + " has dtype " + dtype + " (F32, F16 or BF16 expected)");
        };
    JsonNode dims = info.path("shape");
    long[] shape = new long[dims.size()];
    long n = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = dims.get(i).asLong(-1);
      if (shape[i] < 0 || shape[i] > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("tensor " + name + " has a bad shape " + dims);
      }
      n = Math.multiplyExact(n, shape[i]);
    }
    long begin = info.path("data_offsets").path(0).asLong(-1);
    long end = info.path("data_offsets").path(1).asLong(-1);
    if (n > Integer.MAX_VALUE / size
        || begin < 0
        || end - begin != n * size
        || dataStart + end > bytes.length) {
      throw new IllegalArgumentException(
          "tensor " + name + " has data offsets that do not fit its shape or the file");
    }
    ByteBuffer b =
        ByteBuffer.wrap(bytes, (int) (dataStart + begin), (int) (end - begin))
            .order(ByteOrder.LITTLE_ENDIAN);
    float[] data = new float[(int) n];
    for (int i = 0; i < data.length; i++) {
      data[i] =
          switch (dtype) {
            case "F32" -> b.getFloat();
            case "F16" -> Float16.f16ToFloat(b.getShort());
            default -> Float16.bf16ToFloat(b.getShort());
          };
      if (!Float.isFinite(data[i])) {
        throw new IllegalArgumentException("tensor " + name + " holds a non-finite value");
      }
    }
    return new HostTensor(data, shape);
  }

  /** A safetensors file of float32 tensors (in map order) with string metadata. */
  public static byte[] write(Map<String, HostTensor> tensors, Map<String, String> metadata) {
    SafetensorsWriter w = new SafetensorsWriter();
    tensors.forEach((k, v) -> w.addF32(k, v.shape(), v.data()));
    metadata.forEach(w::metadata);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
