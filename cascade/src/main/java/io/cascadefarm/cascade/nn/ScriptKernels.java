package io.cascadefarm.cascade.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Ops that DJL 0.36 cannot express, run through a TorchScript module that the project writes itself
 * ({@link TorchScriptArchive}; no Python, no shipped binary): bfloat16 matrix products and {@code
 * torch.scaled_dot_product_attention}. DJL's JNI aborts the JVM on any BFLOAT16 tensor, so the JVM
 * never holds one: weights are handed over in float32 and stored converted inside the module
 * ({@link #put}, a {@code List[Tensor]} attribute), activations go in and come out in float32 and
 * are cast inside each call. One instance lives on one device (the manager's given to {@link
 * #load}) and owns the weights put into it: {@link #close} frees them.
 *
 * <p>Precision semantics are those of {@code torch.autocast}: a linear layer or convolution whose
 * weight is stored in bf16 (or fp16) casts its input and bias to that type, multiplies with float32
 * accumulation inside the kernel, and returns float32, so norms, softmax, residual sums and the
 * sampler stay float32.
 */
public final class ScriptKernels implements AutoCloseable {
  /** TorchScript scalar-type codes ({@code c10::ScalarType}). */
  public static final int FLOAT16 = 5;

  public static final int FLOAT32 = 6;
  public static final int BFLOAT16 = 15;

  /** The module source (TorchScript's serialized form, compiled by libtorch when loaded). */
  static final String SOURCE =
      """
      class Kernels(Module):
        __parameters__ = []
        __buffers__ = []
        training : bool
        w : List[Tensor]
        def forward(self: __torch__.Kernels, x: Tensor) -> Tensor:
          return x
        def put(self: __torch__.Kernels, w: Tensor, dtype: int) -> int:
          ws = self.w
          ws.append(w.to(dtype).contiguous())
          return len(ws) - 1
        def release(self: __torch__.Kernels, i: int) -> int:
          ws = self.w
          ws[i] = torch.empty([0], dtype=ws[i].dtype, device=ws[i].device)
          return i
        def weight(self: __torch__.Kernels, i: int) -> Tensor:
          ws = self.w
          return ws[i].to(6)
        def linear(self: __torch__.Kernels, x: Tensor, i: int, b: Tensor) -> Tensor:
          ws = self.w
          w = ws[i]
          return torch.linear(x.to(w.dtype), w, b.to(w.dtype)).to(x.dtype)
        def linear_nb(self: __torch__.Kernels, x: Tensor, i: int) -> Tensor:
          ws = self.w
          w = ws[i]
          return torch.linear(x.to(w.dtype), w).to(x.dtype)
        def linear_rows(self: __torch__.Kernels, x: Tensor, i: int, start: int, end: int, b: Tensor) -> Tensor:
          ws = self.w
          w = ws[i]
          return torch.linear(x.to(w.dtype), w[start:end], b.to(w.dtype)).to(x.dtype)
        def conv2d(self: __torch__.Kernels, x: Tensor, i: int, b: Tensor, stride: List[int], padding: List[int], groups: int) -> Tensor:
          ws = self.w
          w = ws[i]
          return torch.conv2d(x.to(w.dtype), w, b.to(w.dtype), stride, padding, [1, 1], groups).to(x.dtype)
        def conv2d_nb(self: __torch__.Kernels, x: Tensor, i: int, stride: List[int], padding: List[int], groups: int) -> Tensor:
          ws = self.w
          w = ws[i]
          return torch.conv2d(x.to(w.dtype), w, None, stride, padding, [1, 1], groups).to(x.dtype)
        def sdpa(self: __torch__.Kernels, q: Tensor, k: Tensor, v: Tensor, dtype: int) -> Tensor:
          return torch.scaled_dot_product_attention(q.to(dtype), k.to(dtype), v.to(dtype)).to(q.dtype)
      """;

  private static final java.util.Map<Device, ScriptKernels> SHARED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final PtSymbolBlock block;
  private final PtNDManager owner;
  private volatile boolean closed;

  private ScriptKernels(PtSymbolBlock block, PtNDManager owner) {
    this.block = block;
    this.owner = owner;
  }

  /** The archive bytes of the kernel module. */
  public static byte[] archive() {
    return TorchScriptArchive.write("Kernels", SOURCE, List.of("w"));
  }

  /**
   * Loads a kernel module on {@code manager}'s device; it lives in a sub-manager of {@code manager}
   * (closed with it, or by {@link #close}).
   */
  public static ScriptKernels load(NDManager manager) {
    PtNDManager sub = (PtNDManager) manager.newSubManager();
    try {
      PtSymbolBlock block =
          JniUtils.loadModule(sub, new ByteArrayInputStream(archive()), true, false);
      return new ScriptKernels(block, sub);
    } catch (IOException e) {
      sub.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      sub.close();
      throw e;
    }
  }

  /**
   * A process-wide instance on {@code device} holding no weights (for {@link #sdpa}); loaded on
   * first use, never closed.
   */
  public static ScriptKernels shared(Device device) {
    return SHARED.computeIfAbsent(device, d -> load(NDManager.newBaseManager(d)));
  }

  /** Whether a bf16 linear layer computes on {@code device} (a 4x4 probe). */
  public static boolean supportsBf16(Device device) {
    try (NDManager m = NDManager.newBaseManager(device);
        ScriptKernels k = load(m)) {
      NDArray w = m.eye(4);
      int slot = k.put(w, BFLOAT16);
      float[] out =
          k.linear(m.ones(new ai.djl.ndarray.types.Shape(1, 4)), slot, null).toFloatArray();
      return out.length == 4 && out[0] == 1f;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The TorchScript code of a float type (FLOAT16, FLOAT32; BFLOAT16 is never a DJL type here). */
  public static int code(ai.djl.ndarray.types.DataType type) {
    return switch (type) {
      case FLOAT16 -> FLOAT16;
      case FLOAT32 -> FLOAT32;
      default -> throw new IllegalArgumentException("no kernel type for " + type);
    };
  }

  public Device device() {
    return owner.getDevice();
  }

  /**
   * Stores {@code w} (any float type; on this module's device) converted to {@code dtype} ({@link
   * #BFLOAT16}, {@link #FLOAT16}, {@link #FLOAT32}); returns its slot. {@code w} is not closed.
   */
  public synchronized int put(NDArray w, int dtype) {
    checkOpen();
    try (IValue a = IValue.from(pt(w));
        IValue t = IValue.from(dtype);
        IValue out = IValueUtils.runMethod(block, "put", a, t)) {
      return (int) out.toLong();
    }
  }

  /** Frees the tensor of a slot (the slot number stays taken). */
  public synchronized void release(int slot) {
    if (closed) {
      return;
    }
    try (IValue i = IValue.from(slot);
        IValue out = IValueUtils.runMethod(block, "release", i)) {
      out.toLong();
    }
  }

  /** A float32 copy of a slot's weight, attached to {@code manager}. */
  public NDArray weight(int slot, NDManager manager) {
    try (IValue i = IValue.from((long) slot)) {
      return call("weight", manager, i);
    }
  }

  /** {@code F.linear(x, w[slot], bias)} computed in the slot's type; float32 in and out. */
  public NDArray linear(NDArray x, int slot, NDArray bias) {
    try (IValue a = IValue.from(pt(x));
        IValue i = IValue.from((long) slot)) {
      if (bias == null) {
        return call("linear_nb", x.getManager(), a, i);
      }
      try (IValue b = IValue.from(pt(bias))) {
        return call("linear", x.getManager(), a, i, b);
      }
    }
  }

  /** {@code F.linear(x, w[slot][start:end], bias)}: a block of rows of a packed weight. */
  public NDArray linearRows(NDArray x, int slot, long start, long end, NDArray bias) {
    try (IValue a = IValue.from(pt(x));
        IValue i = IValue.from((long) slot);
        IValue s = IValue.from(start);
        IValue e = IValue.from(end);
        IValue b = IValue.from(pt(bias))) {
      return call("linear_rows", x.getManager(), a, i, s, e, b);
    }
  }

  /** {@code F.conv2d} (dilation 1) with the slot's weight, computed in the slot's type. */
  public NDArray conv2d(NDArray x, int slot, NDArray bias, int[] stride, int[] pad, int groups) {
    try (IValue a = IValue.from(pt(x));
        IValue i = IValue.from((long) slot);
        IValue s = IValue.listFrom(stride[0], stride[1]);
        IValue p = IValue.listFrom(pad[0], pad[1]);
        IValue g = IValue.from((long) groups)) {
      if (bias == null) {
        return call("conv2d_nb", x.getManager(), a, i, s, p, g);
      }
      try (IValue b = IValue.from(pt(bias))) {
        return call("conv2d", x.getManager(), a, i, b, s, p, g);
      }
    }
  }

  /**
   * {@code torch.scaled_dot_product_attention(q, k, v)} on (B, heads, L, d) tensors (no mask, scale
   * 1/sqrt(d)) computed in {@code dtype}; returns q's type. libtorch picks its fused kernel (flash
   * or memory-efficient on CUDA, a flash-style blocked kernel on CPU), which never materialises the
   * full score matrix.
   */
  public NDArray sdpa(NDArray q, NDArray k, NDArray v, int dtype) {
    try (IValue a = IValue.from(pt(q));
        IValue b = IValue.from(pt(k));
        IValue c = IValue.from(pt(v));
        IValue t = IValue.from((long) dtype)) {
      return call("sdpa", q.getManager(), a, b, c, t);
    }
  }

  private NDArray call(String method, NDManager resultManager, IValue... args) {
    checkOpen();
    try (IValue out = IValueUtils.runMethod(block, method, args)) {
      return out.toTensor((PtNDManager) resultManager);
    }
  }

  private static PtNDArray pt(NDArray a) {
    return (PtNDArray) a;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("script kernels are closed (their model was unloaded)");
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      block.close();
      owner.close();
    }
  }
}
