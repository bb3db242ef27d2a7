package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Multi-head attention ({@code nn.MultiheadAttention}, batch_first, no mask). The scores are
 * computed either by libtorch's fused {@code scaled_dot_product_attention} through the project's
 * TorchScript kernels ({@link Mode#FUSED}, the default: DJL has no binding for it) or as composite
 * DJL ops in query chunks ({@link Mode#COMPOSITE}). Measured on the 2-core CPU
 * (docs/performance.md, "Fused attention"): the fused kernel takes 2-4x less CPU time than the
 * composite at Stage B/C shapes and never materialises the score matrix; on CUDA libtorch picks its
 * flash or memory-efficient kernel. {@value #MODE_PROPERTY}={@code composite} (or the environment
 * variable {@value #MODE_ENV}) selects the composite. A thread recording gradients ({@link
 * Autograd#isRecording()}) always gets the composite: the TorchScript kernel runs in inference
 * mode.
 */
public final class Attention {
  /**
   * System property choosing the attention kernel: {@code fused} (default) or {@code composite}.
   */
  public static final String MODE_PROPERTY = "farm.attention";

  /** Environment variable with the same meaning, read when the property is absent. */
  public static final String MODE_ENV = "FARM_ATTENTION";

  /** How scores are computed. */
  public enum Mode {
    /** {@code torch.scaled_dot_product_attention} via {@link ScriptKernels} (default). */
    FUSED,
    /** {@code softmax(q k^T / sqrt(d)) v} as DJL ops, in query chunks. */
    COMPOSITE
  }

  private static volatile Mode mode = initialMode();

  private Attention() {}

  private static Mode initialMode() {
    String v = System.getProperty(MODE_PROPERTY, System.getenv(MODE_ENV));
    return v != null && v.trim().equalsIgnoreCase("composite") ? Mode.COMPOSITE : Mode.FUSED;
  }

  /** The kernel in use. */
  public static Mode mode() {
    return mode;
  }

  /** Chooses the kernel for the whole process (tests, benchmarks, operators). */
  public static void mode(Mode m) {
    mode = m;
  }

  /**
   * Most bytes one block of attention scores (B, heads, query rows, Lk) may take: larger problems
   * are computed in chunks of query rows, each in its own memory scope, so attention's peak memory
   * is bounded by about this much (plus the output) whatever the image size. Stage B at 1024x1024,
   * batch 4 with CFG, would otherwise hold ~670 MB of scores per level-2 block. Exact: softmax rows
   * are independent.
   */
  public static final long SCORE_BLOCK_BYTES = 128L << 20;

  /**
   * Scaled dot-product attention on (B, heads, L, d) tensors: {@code softmax(q k^T / sqrt(d)) v},
   * with the kernel of {@link #mode()}, in q's type.
   */
  public static NDArray sdpa(NDArray q, NDArray k, NDArray v) {
    if (mode == Mode.FUSED && !Autograd.isRecording()) {
      return ScriptKernels.shared(q.getDevice()).sdpa(q, k, v, ScriptKernels.code(q.getDataType()));
    }
    return sdpa(q, k, v, SCORE_BLOCK_BYTES);
  }

  /**
   * The composite: {@code softmax(q k^T / sqrt(d)) v} (q is scaled first, as PyTorch's MHA does),
   * in query chunks of at most {@link #SCORE_BLOCK_BYTES} of scores.
   */
  public static NDArray sdpaComposite(NDArray q, NDArray k, NDArray v) {
    return sdpa(q, k, v, SCORE_BLOCK_BYTES);
  }

  /** As {@link #sdpa(NDArray, NDArray, NDArray)} with another score budget (tests). */
  static NDArray sdpa(NDArray q, NDArray k, NDArray v, long scoreBytes) {
    long lq = q.getShape().get(2);
    long rows = queryRowsPerChunk(q.getShape(), k.getShape().get(2), q.getDataType(), scoreBytes);
    if (rows >= lq) {
      return block(q, k, v);
    }
    NDList parts = new NDList();
    for (long start = 0; start < lq; start += rows) {
      String slice = ":, :, " + start + ":" + Math.min(lq, start + rows);
      parts.add(Scope.run(() -> block(q.get(slice), k, v), q, k, v));
    }
    NDArray out = NDArrays.concat(parts, 2);
    parts.close();
    return out;
  }

  /** Query rows whose scores fit {@code scoreBytes} (at least one). */
  static long queryRowsPerChunk(Shape q, long keys, DataType type, long scoreBytes) {
    long bytesPerRow = q.get(0) * q.get(1) * keys * type.getNumOfBytes();
    return Math.max(1, scoreBytes / Math.max(1, bytesPerRow));
  }

  private static NDArray block(NDArray q, NDArray k, NDArray v) {
    long d = q.getShape().get(3);
    NDArray scores = Autograd.div(q, (float) Math.sqrt(d)).matMul(k.transpose(0, 1, 3, 2));
    return scores.softmax(-1).matMul(v);
  }

  /**
   * {@code nn.MultiheadAttention(query, kv, kv)} with packed {@code in_proj_weight} (3C, C) in q,
   * k, v row order, {@code in_proj_bias} (3C), and {@code out_proj}. Inputs (B, L, C).
   */
  public static NDArray multiHead(
      NDArray query,
      NDArray kv,
      NDArray inProjWeight,
      NDArray inProjBias,
      NDArray outWeight,
      NDArray outBias,
      int nhead) {
    long c = query.getShape().get(2);
    NDArray wq = Scope.local(inProjWeight.get("0:" + c), query);
    NDArray wkv = Scope.local(inProjWeight.get(c + ":"), query);
    NDArray bq = inProjBias == null ? null : Scope.local(inProjBias.get("0:" + c), query);
    NDArray bkv = inProjBias == null ? null : Scope.local(inProjBias.get(c + ":"), query);
    NDArray q = heads(Ops.linear(query, wq, bq), nhead);
    NDArray kvp = Ops.linear(kv, wkv, bkv);
    NDArray k = heads(kvp.get(":, :, 0:" + c), nhead);
    NDArray v = heads(kvp.get(":, :, " + c + ":"), nhead);
    NDArray o = sdpa(q, k, v);
    long b = o.getShape().get(0);
    long l = o.getShape().get(2);
    NDArray merged = o.transpose(0, 2, 1, 3).reshape(b, l, c);
    return Ops.linear(merged, outWeight, outBias);
  }

  /**
   * {@link #multiHead} with the packed input projection held by {@link ScriptKernels} ({@code
   * inProj}, reduced precision): projections and the fused attention computed in the weight's type,
   * float32 in and out; {@code outProj} is the (usually also lowered) output projection.
   */
  static NDArray multiHeadScripted(
      NDArray query,
      NDArray kv,
      Parameter.Scripted inProj,
      NDArray inProjBias,
      Linear outProj,
      int nhead) {
    long c = query.getShape().get(2);
    ScriptKernels k = inProj.kernels();
    NDArray bq = Scope.local(inProjBias.get("0:" + c), query);
    NDArray bkv = Scope.local(inProjBias.get(c + ":"), query);
    NDArray q = heads(k.linearRows(query, inProj.slot(), 0, c, bq), nhead);
    NDArray kvp = k.linearRows(kv, inProj.slot(), c, 3 * c, bkv);
    NDArray kk = heads(kvp.get(":, :, 0:" + c), nhead);
    NDArray v = heads(kvp.get(":, :, " + c + ":"), nhead);
    NDArray o = k.sdpa(q, kk, v, inProj.dtype());
    long b = o.getShape().get(0);
    long l = o.getShape().get(2);
    return outProj.forward(o.transpose(0, 2, 1, 3).reshape(b, l, c));
  }

  private static NDArray heads(NDArray x, int nhead) {
    long b = x.getShape().get(0);
    long l = x.getShape().get(1);
    long c = x.getShape().get(2);
    return x.reshape(b, l, nhead, c / nhead).transpose(0, 2, 1, 3);
  }
}
