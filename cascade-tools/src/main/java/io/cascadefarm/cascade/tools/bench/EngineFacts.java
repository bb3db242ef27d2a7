package io.cascadefarm.cascade.tools.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import io.cascadefarm.cascade.nn.LibtorchContext;
import io.cascadefarm.cascade.nn.OneDnnIsa;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the DJL PyTorch engine is running on: libtorch version and flavor (from the native library
 * directory DJL loaded), devices, intra/inter-op thread counts, capabilities and the TF32 state.
 * Loading these facts loads the engine (the worker image uses this as its warm-up).
 */
public final class EngineFacts {
  /** The environment variable libtorch reads once at start to allow TF32 in cuBLAS matmuls. */
  public static final String TF32_ENV = "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE";

  private EngineFacts() {}

  /** Ordered name/value facts. */
  public static Map<String, String> collect() {
    OneDnnIsa.configure(); // before anything below can touch a kernel
    Engine engine = Engine.getEngine("PyTorch");
    Map<String, String> f = new LinkedHashMap<>();
    f.put("engine", engine.getEngineName() + " (DJL " + Engine.getDjlVersion() + ")");
    f.put("libtorch", engine.getVersion());
    String path = LibUtils.getLibtorchPath();
    f.put("flavor", flavor(path));
    f.put("native library dir", path);
    f.put("default device", engine.defaultDevice().toString());
    f.put("devices", devices(engine).toString());
    f.put("gpus", Integer.toString(engine.getGpuCount()));
    f.put("intra-op threads", Integer.toString(JniUtils.getNumThreads()));
    f.put("inter-op threads", Integer.toString(JniUtils.getNumInteropThreads()));
    f.put("available processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
    f.put("capabilities", capabilities(engine).toString());
    f.put("tf32", tf32(engine));
    f.put("onednn isa cap", OneDnnIsa.configure().describe());
    return f;
  }

  /** The flavor part of DJL's native directory name, e.g. {@code cpu} or {@code cu126}. */
  static String flavor(String libtorchPath) {
    String dir = Path.of(libtorchPath).getFileName().toString();
    for (String part : dir.split("-")) {
      if (part.equals("cpu") || part.startsWith("cu") || part.startsWith("rocm")) {
        return part;
      }
    }
    return "unknown (" + dir + ")";
  }

  private static List<String> devices(Engine engine) {
    List<String> out = new ArrayList<>();
    for (Device d : engine.getDevices()) {
      out.add(d.toString());
    }
    return out;
  }

  private static List<String> capabilities(Engine engine) {
    List<String> out = new ArrayList<>();
    for (String c :
        List.of(
            StandardCapabilities.CUDA,
            StandardCapabilities.CUDNN,
            StandardCapabilities.MKL,
            StandardCapabilities.MKLDNN,
            StandardCapabilities.OPENMP)) {
      if (engine.hasCapability(c)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * TF32 state. libtorch initialises its matmul precision from {@value #TF32_ENV} when its global
   * context is created (it cannot be changed later without a setter, and DJL exposes none); cuDNN
   * convolutions allow TF32 by default. On a GPU the answer is measured by {@link Tf32Probe}.
   */
  private static String tf32(Engine engine) {
    String env = System.getenv(TF32_ENV);
    boolean requested =
        env != null
            && (env.equals("1")
                || env.equalsIgnoreCase("true")
                || env.equalsIgnoreCase("on")
                || env.equalsIgnoreCase("yes"));
    String setting =
        TF32_ENV
            + "="
            + (env == null ? "(unset)" : env)
            + " -> cuBLAS matmul TF32 "
            + (requested ? "requested" : "off (libtorch default: highest precision)")
            + "; in force: cuBLAS matmul TF32 "
            + onOff(LibtorchContext.tf32CuBlas())
            + ", cuDNN conv TF32 "
            + onOff(LibtorchContext.tf32CuDnn());
    if (engine.getGpuCount() == 0) {
      return "not applicable on CPU (fp32 GEMM); " + setting;
    }
    return Tf32Probe.measure().describe() + "; " + setting;
  }

  private static String onOff(boolean on) {
    return on ? "on" : "off";
  }
}
