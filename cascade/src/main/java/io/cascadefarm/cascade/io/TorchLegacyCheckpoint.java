package io.cascadefarm.cascade.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code state_dict} saved by {@code torch.save} in its legacy (pre-1.6, non-zip) format,
 * as the official saliency model {@code modules/cnet_modules/inpainting/saliency_model.pt} is: four
 * pickles (magic number, protocol version, system info, the object whose storages are persistent
 * ids) followed by the list of storage keys and each storage's raw little-endian data (an 8-byte
 * element count, then the elements). No Python code is run: the pickle is interpreted by a small
 * machine that knows only the opcodes of protocol 2 and builds tensors from {@code
 * torch._utils._rebuild_tensor_v2} calls and dicts from {@code collections.OrderedDict}; any other
 * global is refused. Float, half, double and long storages are read; values become float32.
 */
public final class TorchLegacyCheckpoint {
  /** torch's legacy magic number, 0x1950a86a20f9469cfc6c. */
  private static final java.math.BigInteger MAGIC =
      new java.math.BigInteger("1950a86a20f9469cfc6c", 16);

  /** One tensor: float32 values in row-major order and its shape. */
  public record Tensor(float[] data, long[] shape) {}

  private record Global(String module, String name) {}

  private record StorageRef(String key, String type, long size) {}

  private record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

  private static final Object MARK = new Object();

  private final ByteBuffer in;

  private TorchLegacyCheckpoint(byte[] bytes) {
    this.in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Every tensor of the state dict, by name, in file order. */
  public static Map<String, Tensor> read(byte[] bytes) {
    try {
      return new TorchLegacyCheckpoint(bytes).readAll();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "not a legacy torch.save state_dict: " + e.getMessage(), e);
    }
  }

  /** The state dict as a safetensors file of float32 tensors. */
  public static byte[] toSafetensors(Map<String, Tensor> tensors) {
    SafetensorsWriter w = new SafetensorsWriter();
    tensors.forEach((k, t) -> w.addF32(k, t.shape(), t.data()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private Map<String, Tensor> readAll() {
    Object magic = unpickle();
    if (!(magic instanceof java.math.BigInteger b) || !b.equals(MAGIC)) {
      throw new IllegalArgumentException("no legacy torch.save magic number");
    }
    unpickle(); // protocol version
    Object sys = unpickle();
    if (sys instanceof Map<?, ?> m && Boolean.FALSE.equals(m.get("little_endian"))) {
      throw new IllegalArgumentException("big-endian checkpoints are not supported");
    }
    Object root = unpickle();
    Object keys = unpickle();
    if (!(root instanceof Map<?, ?> dict) || !(keys instanceof List<?> order)) {
      throw new IllegalArgumentException("the saved object is not a dict of tensors");
    }
    Map<String, StorageRef> refs = new HashMap<>();
    for (Object v : dict.values()) {
      if (v instanceof TensorRef t) {
        refs.put(t.storage().key(), t.storage());
      }
    }
    Map<String, ByteBuffer> storages = new HashMap<>();
    for (Object k : order) {
      long count = in.getLong();
      StorageRef ref = refs.get(String.valueOf(k));
      int elem = ref == null ? 4 : elementSize(ref.type());
      long bytes = Math.multiplyExact(count, elem);
      if (bytes > in.remaining()) {
        throw new IllegalArgumentException("storage " + k + " runs past the end of the file");
      }
      ByteBuffer slice = in.slice().order(ByteOrder.LITTLE_ENDIAN);
      slice.limit((int) bytes);
      storages.put(String.valueOf(k), slice);
      in.position(in.position() + (int) bytes);
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : dict.entrySet()) {
      if (e.getValue() instanceof TensorRef t) {
        ByteBuffer data = storages.get(t.storage().key());
        if (data == null) {
          throw new IllegalArgumentException("no data for storage " + t.storage().key());
        }
        out.put(String.valueOf(e.getKey()), gather(t, data));
      }
    }
    return out;
  }

  private static int elementSize(String type) {
    return switch (type) {
      case "FloatStorage", "IntStorage" -> 4;
      case "HalfStorage", "BFloat16Storage" -> 2;
      case "DoubleStorage", "LongStorage" -> 8;
      default -> throw new IllegalArgumentException("unsupported storage type " + type);
    };
  }

  private static Tensor gather(TensorRef t, ByteBuffer data) {
    int rank = t.size().length;
    long n = 1;
    for (long d : t.size()) {
      n = Math.multiplyExact(n, d);
    }
    float[] out = new float[Math.toIntExact(n)];
    int elem = elementSize(t.storage().type());
    long[] index = new long[rank];
    for (int i = 0; i < out.length; i++) {
      long at = t.offset();
      for (int d = 0; d < rank; d++) {
        at += index[d] * t.stride()[d];
      }
      long pos = at * elem;
      if (at < 0 || pos + elem > data.limit()) {
        throw new IllegalArgumentException("tensor reaches past its storage");
      }
      out[i] =
          switch (t.storage().type()) {
            case "FloatStorage" -> data.getFloat((int) pos);
            case "HalfStorage" -> Float16.f16ToFloat(data.getShort((int) pos));
            case "BFloat16Storage" -> Float16.bf16ToFloat(data.getShort((int) pos));
            case "DoubleStorage" -> (float) data.getDouble((int) pos);
            case "LongStorage" -> data.getLong((int) pos);
            default -> data.getInt((int) pos);
          };
      for (int d = rank - 1; d >= 0; d--) {
        if (++index[d] < t.size()[d]) {
          break;
        }
        index[d] = 0;
      }
    }
    return new Tensor(out, t.size().clone());
  }

  // ---------------------------------------------------------------- the pickle machine

  private Object unpickle() {
    Deque<Object> stack = new ArrayDeque<>();
    Map<Integer, Object> memo = new HashMap<>();
    while (true) {
      int op = in.get() & 0xff;
      switch (op) {
        case 0x80 -> in.get(); // PROTO
        case '.' -> {
          return stack.pop();
        }
        case 0x8a -> { // LONG1
          int n = in.get() & 0xff;
          byte[] le = new byte[n];
          in.get(le);
          byte[] be = new byte[n];
          for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
          }
          stack.push(n == 0 ? java.math.BigInteger.ZERO : new java.math.BigInteger(be));
        }
        case 'J' -> stack.push((long) in.getInt());
        case 'K' -> stack.push((long) (in.get() & 0xff));
        case 'M' -> stack.push((long) (in.getShort() & 0xffff));
        case 'G' -> stack.push(Double.longBitsToDouble(Long.reverseBytes(in.getLong())));
        case 'X' -> stack.push(text(in.getInt()));
        case 0x8c -> stack.push(text(in.get() & 0xff)); // SHORT_BINUNICODE
        case 'U' -> stack.push(text(in.get() & 0xff)); // SHORT_BINSTRING
        case 'T' -> stack.push(text(in.getInt())); // BINSTRING
        case 'N' -> stack.push(NONE);
        case 0x88 -> stack.push(Boolean.TRUE);
        case 0x89 -> stack.push(Boolean.FALSE);
        case '}' -> stack.push(new LinkedHashMap<Object, Object>());
        case ']' -> stack.push(new ArrayList<Object>());
        case ')' -> stack.push(List.of());
        case '(' -> stack.push(MARK);
        case 't' -> stack.push(popToMark(stack));
        case 0x85 -> stack.push(List.of(stack.pop()));
        case 0x86 -> {
          Object b = stack.pop();
          stack.push(List.of(stack.pop(), b));
        }
        case 0x87 -> {
          Object c = stack.pop();
          Object b = stack.pop();
          stack.push(List.of(stack.pop(), b, c));
        }
        case 's' -> {
          Object v = stack.pop();
          Object k = stack.pop();
          dict(stack.peek()).put(k, v);
        }
        case 'u' -> {
          List<Object> items = popToMark(stack);
          Map<Object, Object> d = dict(stack.peek());
          for (int i = 0; i + 1 < items.size(); i += 2) {
            d.put(items.get(i), items.get(i + 1));
          }
        }
        case 'a' -> {
          Object v = stack.pop();
          list(stack.peek()).add(v);
        }
        case 'e' -> {
          List<Object> items = popToMark(stack);
          list(stack.peek()).addAll(items);
        }
        case 'c' -> stack.push(new Global(line(), line()));
        case 'R' -> {
          Object args = stack.pop();
          stack.push(reduce(stack.pop(), (List<?>) args));
        }
        case 'b' -> stack.pop(); // BUILD: instance state (an OrderedDict's _metadata) is dropped
        case 'Q' -> stack.push(persistent(stack.pop()));
        case 'q' -> memo.put(in.get() & 0xff, stack.peek());
        case 'r' -> memo.put(in.getInt(), stack.peek());
        case 'h' -> stack.push(memoGet(memo, in.get() & 0xff));
        case 'j' -> stack.push(memoGet(memo, in.getInt()));
        default ->
            throw new IllegalArgumentException(
                "unsupported pickle opcode 0x"
                    + Integer.toHexString(op)
                    + " at "
                    + (in.position() - 1));
      }
    }
  }

  private static final Object NONE = new Object();

  private static Object memoGet(Map<Integer, Object> memo, int i) {
    Object v = memo.get(i);
    if (v == null) {
      throw new IllegalArgumentException("pickle memo " + i + " is empty");
    }
    return v;
  }

  private Object reduce(Object callable, List<?> args) {
    if (!(callable instanceof Global g)) {
      throw new IllegalArgumentException("REDUCE on a non-global");
    }
    String name = g.module() + "." + g.name();
    return switch (name) {
      case "collections.OrderedDict" -> new LinkedHashMap<Object, Object>();
      case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
        StorageRef s = (StorageRef) args.get(0);
        long offset = ((Number) args.get(1)).longValue();
        long[] size = longs(args.get(2));
        long[] stride = longs(args.get(3));
        yield new TensorRef(s, offset, size, stride);
      }
      default -> throw new IllegalArgumentException("refusing to call " + name);
    };
  }

  private static Object persistent(Object pid) {
    List<?> t = (List<?>) pid;
    if (t.size() < 5 || !"storage".equals(t.get(0)) || !(t.get(1) instanceof Global type)) {
      throw new IllegalArgumentException("unknown persistent id " + pid);
    }
    if (!type.module().equals("torch")) {
      throw new IllegalArgumentException("unknown storage type " + type);
    }
    return new StorageRef(String.valueOf(t.get(2)), type.name(), ((Number) t.get(4)).longValue());
  }

  private static long[] longs(Object o) {
    List<?> l = (List<?>) o;
    long[] out = new long[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) l.get(i)).longValue();
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> dict(Object o) {
    if (!(o instanceof Map<?, ?>)) {
      throw new IllegalArgumentException("SETITEM(S) on a non-dict");
    }
    return (Map<Object, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    if (!(o instanceof ArrayList<?>)) {
      throw new IllegalArgumentException("APPEND(S) on a non-list");
    }
    return (List<Object>) o;
  }

  private static List<Object> popToMark(Deque<Object> stack) {
    List<Object> items = new ArrayList<>();
    while (true) {
      Object o = stack.pop();
      if (o == MARK) {
        break;
      }
      items.add(0, o);
    }
    return items;
  }

  private String text(int n) {
    if (n < 0 || n > in.remaining()) {
      throw new IllegalArgumentException("string runs past the end");
    }
    byte[] b = new byte[n];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private String line() {
    StringBuilder sb = new StringBuilder();
    while (true) {
      byte b = in.get();
      if (b == '\n') {
        return sb.toString();
      }
      sb.append((char) b);
      if (sb.length() > 256) {
        throw new IllegalArgumentException("global name too long");
      }
    }
  }
}
