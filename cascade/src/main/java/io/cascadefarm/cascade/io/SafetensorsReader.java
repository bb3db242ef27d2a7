package io.cascadefarm.cascade.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors file one tensor at a time. Only the byte range of the requested tensor is
 * mapped; 16-bit floats are widened to float32 in Java before an {@link NDArray} is created, so DJL
 * never sees BF16 (which would abort the JVM).
 */
public final class SafetensorsReader implements AutoCloseable {
  private static final long CHUNK = 1L << 30;

  private final Path path;
  private final FileChannel channel;
  private final SafetensorsHeader header;

  private SafetensorsReader(Path path, FileChannel channel, SafetensorsHeader header) {
    this.path = path;
    this.channel = channel;
    this.header = header;
  }

  /** Opens a file and parses its header (tensor data is not read). */
  public static SafetensorsReader open(Path path) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      SafetensorsHeader header = SafetensorsHeader.read(channel, channel.size(), path.toString());
      return new SafetensorsReader(path, channel, header);
    } catch (RuntimeException | IOException e) {
      channel.close();
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /** Tensor table in file order. */
  public Map<String, TensorInfo> tensors() {
    return header.tensors();
  }

  /** Tensor infos in file order. */
  public List<TensorInfo> infos() {
    return List.copyOf(header.tensors().values());
  }

  /** The {@code __metadata__} map (empty when absent). */
  public Map<String, String> metadata() {
    return header.metadata();
  }

  public boolean contains(String name) {
    return header.tensors().containsKey(name);
  }

  /** Header entry of a tensor, or a clear error naming the key. */
  public TensorInfo info(String name) {
    TensorInfo info = header.tensors().get(name);
    if (info == null) {
      throw new SafetensorsFormatException(path + ": no tensor named '" + name + "'");
    }
    return info;
  }

  /** Values of a floating-point tensor as float32 (BF16/F16/F64 converted). */
  public float[] readFloats(String name) {
    TensorInfo info = info(name);
    if (!info.dtype().isFloating()) {
      throw new SafetensorsFormatException(
          path + ": tensor '" + name + "' is " + info.dtype() + ", not a float type");
    }
    float[] out = new float[Math.toIntExact(info.numel())];
    int[] index = {0};
    forEachChunk(info, buf -> DTypeDecoder.decodeFloats(info.dtype(), buf, out, index));
    return out;
  }

  /** Values of an integer tensor as int64. */
  public long[] readLongs(String name) {
    TensorInfo info = info(name);
    if (info.dtype().isFloating()) {
      throw new SafetensorsFormatException(
          path + ": tensor '" + name + "' is " + info.dtype() + ", not an integer type");
    }
    long[] out = new long[Math.toIntExact(info.numel())];
    int[] index = {0};
    forEachChunk(info, buf -> DTypeDecoder.decodeLongs(info.dtype(), buf, out, index));
    return out;
  }

  /**
   * Loads one tensor into {@code manager}: float types become FLOAT32, integer types INT64. The
   * array gets the tensor name.
   */
  public NDArray load(NDManager manager, String name) {
    TensorInfo info = info(name);
    Shape shape = new Shape(info.shape());
    NDArray array =
        info.dtype().isFloating()
            ? manager.create(readFloats(name), shape)
            : manager.create(readLongs(name), shape);
    array.setName(name);
    return array;
  }

  private void forEachChunk(TensorInfo info, java.util.function.Consumer<ByteBuffer> sink) {
    long start = header.dataStart() + info.begin();
    long remaining = info.byteLength();
    long elementBytes = info.dtype().byteSize();
    long chunk = CHUNK - (CHUNK % elementBytes);
    try {
      while (remaining > 0) {
        long len = Math.min(remaining, chunk);
        ByteBuffer buf = channel.map(FileChannel.MapMode.READ_ONLY, start, len);
        sink.accept(buf.order(ByteOrder.LITTLE_ENDIAN));
        start += len;
        remaining -= len;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot read tensor '" + info.name() + "'", e);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
