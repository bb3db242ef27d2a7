package io.cascadefarm.cascade.net.common;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import io.cascadefarm.cascade.nn.Attention;
import io.cascadefarm.cascade.nn.Autograd;
import io.cascadefarm.cascade.nn.Parameter;
import io.cascadefarm.cascade.nn.TorchScriptArchive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The UNet blocks ({@link ResBlock}, {@link TimestepBlock}, {@link AttnBlock}, {@link
 * FeedForwardBlock}) as methods of a TorchScript module the project writes itself ({@link
 * TorchScriptArchive}; libtorch compiles it when loading), so that an inference forward of a block
 * is one JNI call instead of the 10-25 ATen calls of its op-by-op form. On the 2-core CPU a DJL
 * call costs ~16 us of serial host time while the OpenMP threads wait (docs/performance.md, "CPU
 * throughput against the official code"), and Stage B mid makes ~2100 of them per forward. The
 * block's weights stay in the Java module's arrays and are passed per call as one {@code
 * List[Tensor]} (no copy), so LoRA-merged or precision-converted weights are always the ones used.
 *
 * <p>Each method computes the same ATen ops in the same order as the block's op-by-op forward (the
 * parity fixtures check both). The scripted path is taken only when {@link #applies}: the mode is
 * {@link Mode#SCRIPT} (default; {@value #MODE_PROPERTY}={@code ops} or the environment variable
 * {@value #MODE_ENV}={@code ops} selects the op-by-op forward), the thread is not recording
 * gradients (TorchScript runs under libtorch's inference mode; training keeps the differentiable
 * op-by-op path), and no weight of the block is held in reduced precision by the kernel module
 * ({@link Parameter#isScripted()}). Attention blocks also need {@link Attention.Mode#FUSED}. The
 * results are inference tensors: they refuse in-place updates.
 */
public final class BlockScripts {
  /** System property choosing how blocks run: {@code script} (default) or {@code ops}. */
  public static final String MODE_PROPERTY = "farm.blocks";

  /** Environment variable with the same meaning, read when the property is absent. */
  public static final String MODE_ENV = "FARM_BLOCKS";

  /** How the blocks' inference forwards run. */
  public enum Mode {
    /** One TorchScript method call per block (default). */
    SCRIPT,
    /** The op-by-op forward of each block (DJL ops, one JNI call per ATen op). */
    OPS
  }

  /** The module source (TorchScript's serialized form). */
  static final String SOURCE =
      """
      class Blocks(Module):
        __parameters__ = []
        __buffers__ = []
        training : bool
        def forward(self: __torch__.Blocks, x: Tensor) -> Tensor:
          return x
        def channelwise(self: __torch__.Blocks, h: Tensor, w: List[Tensor], i: int) -> Tensor:
          h = torch.gelu(torch.linear(h, w[i], w[i + 1]))
          gx = torch.sqrt(torch.sum(torch.square(h), [1, 2], True))
          nx = torch.div(gx, torch.add(torch.mean(gx, [-1], True), 1e-06))
          y = torch.mul(h, torch.add(torch.mul(nx, w[i + 2]), 1.0))
          y = y.add_(w[i + 3])
          return torch.linear(y, w[i + 4], w[i + 5])
        def resblock(self: __torch__.Blocks, x: Tensor, w: List[Tensor], pad: int) -> Tensor:
          h = torch.conv2d(x, w[0], w[1], [1, 1], [pad, pad], [1, 1], x.size(1))
          h = torch.layer_norm(torch.permute(h, [0, 2, 3, 1]), [h.size(1)], None, None, 1e-06)
          out = self.channelwise(h, w, 2)
          return torch.add(torch.permute(out, [0, 3, 1, 2]), x)
        def resblock_skip(self: __torch__.Blocks, x: Tensor, skip: Tensor, w: List[Tensor], pad: int) -> Tensor:
          h = torch.conv2d(x, w[0], w[1], [1, 1], [pad, pad], [1, 1], x.size(1))
          h = torch.layer_norm(torch.permute(h, [0, 2, 3, 1]), [h.size(1)], None, None, 1e-06)
          h = torch.cat([h, torch.permute(skip, [0, 2, 3, 1])], -1)
          out = self.channelwise(h, w, 2)
          return torch.add(torch.permute(out, [0, 3, 1, 2]), x)
        def feedforward(self: __torch__.Blocks, x: Tensor, w: List[Tensor]) -> Tensor:
          h = torch.layer_norm(torch.permute(x, [0, 2, 3, 1]), [x.size(1)], None, None, 1e-06)
          out = self.channelwise(h, w, 0)
          return torch.add(x, torch.permute(out, [0, 3, 1, 2]))
        def timestep(self: __torch__.Blocks, x: Tensor, r: Tensor, w: List[Tensor]) -> Tensor:
          n = len(w) // 2
          chunks = torch.chunk(r, n, 1)
          ab = torch.chunk(torch.linear(chunks[0], w[0], w[1]), 2, 1)
          a = ab[0]
          b = ab[1]
          for i in range(1, n):
            e = torch.chunk(torch.linear(chunks[i], w[2 * i], w[2 * i + 1]), 2, 1)
            a = torch.add(a, e[0])
            b = torch.add(b, e[1])
          shape = [a.size(0), a.size(1), 1, 1]
          y = torch.mul(x, torch.reshape(torch.add(a, 1.0), shape))
          return y.add_(torch.reshape(b, shape))
        def attn(self: __torch__.Blocks, x: Tensor, cond: Tensor, w: List[Tensor], nhead: int, self_attn: bool) -> Tensor:
          kv = torch.linear(torch.mul(cond, torch.sigmoid(cond)), w[0], w[1])
          b = x.size(0)
          c = x.size(1)
          t = torch.layer_norm(torch.permute(x, [0, 2, 3, 1]), [c], None, None, 1e-06)
          t = torch.reshape(t, [b, -1, c])
          keys = kv
          if self_attn:
            keys = torch.cat([t, kv], 1)
          q = torch.linear(t, torch.narrow(w[2], 0, 0, c), torch.narrow(w[3], 0, 0, c))
          kvp = torch.linear(keys, torch.narrow(w[2], 0, c, 2 * c), torch.narrow(w[3], 0, c, 2 * c))
          d = c // nhead
          q = torch.transpose(torch.reshape(q, [b, -1, nhead, d]), 1, 2)
          k = torch.transpose(torch.reshape(torch.narrow(kvp, 2, 0, c), [b, -1, nhead, d]), 1, 2)
          v = torch.transpose(torch.reshape(torch.narrow(kvp, 2, c, c), [b, -1, nhead, d]), 1, 2)
          o = torch.scaled_dot_product_attention(q, k, v)
          o = torch.reshape(torch.transpose(o, 1, 2), [b, -1, c])
          o = torch.linear(o, w[4], w[5])
          return torch.add(x, torch.reshape(torch.transpose(o, 1, 2), x.size()))
      """;

  private static final Map<Device, BlockScripts> SHARED = new ConcurrentHashMap<>();

  private static volatile Mode mode = initialMode();

  private static final java.util.concurrent.atomic.LongAdder CALLS =
      new java.util.concurrent.atomic.LongAdder();

  private final PtSymbolBlock block;

  private BlockScripts(PtSymbolBlock block) {
    this.block = block;
  }

  private static Mode initialMode() {
    String v = System.getProperty(MODE_PROPERTY, System.getenv(MODE_ENV));
    return v != null && v.trim().equalsIgnoreCase("ops") ? Mode.OPS : Mode.SCRIPT;
  }

  /** How blocks run in this process. */
  public static Mode mode() {
    return mode;
  }

  /** Chooses how blocks run for the whole process (tests, benchmarks, the self-check). */
  public static void mode(Mode m) {
    mode = m;
  }

  /** Scripted block forwards run by this process so far (benchmarks count them per forward). */
  public static long calls() {
    return CALLS.sum();
  }

  /** The archive bytes of the block module. */
  static byte[] archive() {
    return TorchScriptArchive.write("Blocks", SOURCE, List.of());
  }

  /** The process-wide module on {@code device} (loaded on first use, never closed). */
  static BlockScripts shared(Device device) {
    return SHARED.computeIfAbsent(device, BlockScripts::load);
  }

  private static BlockScripts load(Device device) {
    PtNDManager manager = (PtNDManager) NDManager.newBaseManager(device);
    try {
      return new BlockScripts(
          JniUtils.loadModule(manager, new ByteArrayInputStream(archive()), true, false));
    } catch (IOException e) {
      manager.close();
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether a block whose parameters are {@code params} runs scripted now: {@link Mode#SCRIPT}, no
   * gradient recorded on this thread, every weight a DJL array.
   */
  static boolean applies(Parameter... params) {
    if (mode != Mode.SCRIPT || Autograd.isRecording()) {
      return false;
    }
    for (Parameter p : params) {
      if (p.isScripted()) {
        return false;
      }
    }
    return true;
  }

  /** As {@link #applies(Parameter...)} for an attention block (also needs the fused kernel). */
  static boolean appliesToAttention(Parameter... params) {
    return Attention.mode() == Attention.Mode.FUSED && applies(params);
  }

  /** The bound arrays of {@code params}, in order. */
  static NDArray[] arrays(Parameter[] params) {
    NDArray[] out = new NDArray[params.length];
    for (int i = 0; i < params.length; i++) {
      out[i] = params[i].array();
    }
    return out;
  }

  /** {@code a} followed by {@code b}. */
  static Parameter[] concat(Parameter[] a, Parameter... b) {
    Parameter[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * {@link ResBlock}: {@code w} = depthwise weight, bias, then {@link #channelwise} weights; {@code
   * skip} may be null.
   */
  NDArray resBlock(NDArray x, NDArray skip, NDArray[] w, int pad) {
    try (IValue a = tensor(x);
        IValue ws = list(w);
        IValue p = IValue.from((long) pad)) {
      if (skip == null) {
        return call("resblock", x, a, ws, p);
      }
      try (IValue s = tensor(skip)) {
        return call("resblock_skip", x, a, s, ws, p);
      }
    }
  }

  /** {@link FeedForwardBlock}: {@code w} = the channelwise weights. */
  NDArray feedForward(NDArray x, NDArray[] w) {
    try (IValue a = tensor(x);
        IValue ws = list(w)) {
      return call("feedforward", x, a, ws);
    }
  }

  /** {@link TimestepBlock}: {@code w} = weight, bias of each mapper in chunk order. */
  NDArray timestep(NDArray x, NDArray rEmbed, NDArray[] w) {
    try (IValue a = tensor(x);
        IValue r = tensor(rEmbed);
        IValue ws = list(w)) {
      return call("timestep", x, a, r, ws);
    }
  }

  /**
   * {@link AttnBlock}: {@code w} = kv_mapper weight, bias, in_proj weight, bias, out_proj weight,
   * bias.
   */
  NDArray attn(NDArray x, NDArray cond, NDArray[] w, int nhead, boolean selfAttn) {
    try (IValue a = tensor(x);
        IValue c = tensor(cond);
        IValue ws = list(w);
        IValue n = IValue.from((long) nhead);
        IValue s = IValue.from(selfAttn)) {
      return call("attn", x, a, c, ws, n, s);
    }
  }

  private NDArray call(String method, NDArray like, IValue... args) {
    CALLS.increment();
    try (IValue out = IValueUtils.runMethod(block, method, args)) {
      return out.toTensor((PtNDManager) like.getManager());
    }
  }

  private static IValue tensor(NDArray a) {
    return IValue.from((PtNDArray) a);
  }

  private static IValue list(NDArray[] w) {
    PtNDArray[] pt = new PtNDArray[w.length];
    for (int i = 0; i < w.length; i++) {
      pt[i] = (PtNDArray) w[i];
    }
    return IValue.listFrom(pt);
  }
}
