package io.cascadefarm.codec.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The rules a safetensors header must meet to be read by this project, shared by the workers'
 * reader and the dispatcher's upload check, so that the dispatcher accepts exactly the files a
 * worker can read: a dtype the reader supports, non-negative dimensions whose element count and
 * byte length do not overflow, and {@code data_offsets} that hold exactly that many bytes inside
 * the data section. Throws {@link IllegalArgumentException} with a message naming the tensor.
 */
public final class SafetensorsLayout {
  /** Longest header accepted (bytes of JSON after the 8-byte length). */
  public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  /** The element types the reader supports, with their byte sizes. */
  public enum DType {
    F32(4),
    F16(2),
    BF16(2),
    F64(8),
    I64(8),
    I32(4),
    U8(1);

    private final int bytes;

    DType(int bytes) {
      this.bytes = bytes;
    }

    public int bytes() {
      return bytes;
    }

    /** The dtype of a header string such as {@code "BF16"}; throws for any other. */
    public static DType parse(String text, String tensor) {
      try {
        return valueOf(text.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "tensor '" + tensor + "': unsupported dtype '" + text + "'");
      }
    }
  }

  /** One checked tensor entry; offsets are relative to the data section. */
  public record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

  /** A checked header: tensors in file order and the {@code __metadata__} strings. */
  public record Header(Map<String, Entry> tensors, Map<String, String> metadata) {}

  private SafetensorsLayout() {}

  /**
   * Checks every entry of the parsed header {@code root} against a data section of {@code data}.
   */
  public static Header parse(JsonNode root, long data) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("header is not a JSON object");
    }
    Map<String, Entry> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if ("__metadata__".equals(field.getKey())) {
        JsonNode m = field.getValue();
        if (!m.isObject()) {
          throw new IllegalArgumentException("__metadata__ is not a JSON object");
        }
        m.fields()
            .forEachRemaining(
                e ->
                    metadata.put(
                        e.getKey(),
                        e.getValue().isValueNode()
                            ? e.getValue().asText()
                            : e.getValue().toString()));
        continue;
      }
      Entry e = entry(field.getKey(), field.getValue());
      if (e.end() > data) {
        throw new IllegalArgumentException(
            "tensor '"
                + e.name()
                + "' data_offsets end at byte "
                + e.end()
                + " but the data section has only "
                + data
                + " bytes (file truncated?)");
      }
      tensors.put(e.name(), e);
    }
    return new Header(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
  }

  private static Entry entry(String name, JsonNode t) {
    JsonNode dtype = t.get("dtype");
    JsonNode shape = t.get("shape");
    JsonNode offsets = t.get("data_offsets");
    if (dtype == null
        || !dtype.isTextual()
        || shape == null
        || !shape.isArray()
        || offsets == null
        || !offsets.isArray()
        || offsets.size() != 2) {
      throw new IllegalArgumentException(
          "tensor '" + name + "' needs dtype, shape[] and data_offsets[2]");
    }
    DType type = DType.parse(dtype.asText(), name);
    long[] dims = new long[shape.size()];
    long numel = 1;
    for (int i = 0; i < dims.length; i++) {
      JsonNode d = shape.get(i);
      dims[i] = d.canConvertToLong() && d.isIntegralNumber() ? d.asLong() : -1;
      if (dims[i] < 0) {
        throw new IllegalArgumentException("tensor '" + name + "' has a bad shape " + shape);
      }
      numel = multiply(numel, dims[i], name, shape);
    }
    long bytes = multiply(numel, type.bytes(), name, shape);
    JsonNode b = offsets.get(0);
    JsonNode e = offsets.get(1);
    long begin = b.isIntegralNumber() && b.canConvertToLong() ? b.asLong() : -1;
    long end = e.isIntegralNumber() && e.canConvertToLong() ? e.asLong() : -1;
    if (begin < 0 || end < begin || end - begin != bytes) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "' data_offsets "
              + offsets
              + " do not hold "
              + bytes
              + " bytes of "
              + type
              + shape.toString().replace(" ", ""));
    }
    return new Entry(name, type, dims, begin, end);
  }

  private static long multiply(long a, long b, String name, JsonNode shape) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "tensor '" + name + "' has a shape " + shape + " too large to address");
    }
  }
}
