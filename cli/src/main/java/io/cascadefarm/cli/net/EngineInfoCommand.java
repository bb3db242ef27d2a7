package io.cascadefarm.cli.net;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.cascade.nn.LibtorchContext;
import io.cascadefarm.cascade.tools.bench.ComputeThread;
import io.cascadefarm.cascade.tools.bench.EngineFacts;
import io.cascadefarm.cascade.tools.numerics.NumericsSelfCheck;
import io.cascadefarm.cascade.tools.numerics.SelfCheckReport;
import io.cascadefarm.common.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code farm net engine-info}: loads the DJL PyTorch engine (downloading/extracting libtorch into
 * DJL_CACHE_DIR if needed, which is why the worker images run it at build time) and prints its
 * version, flavor, devices, thread counts and TF32 state. {@code --json} prints one JSON object
 * with the engine, flavor, CUDA and cuDNN versions, devices, TF32 flags and the numerics self-check
 * verdict on the default device (deploy/gpu/check.sh reads it).
 */
@Command(
    name = "engine-info",
    mixinStandardHelpOptions = true,
    description = {
      "Loads the DJL PyTorch engine and prints libtorch version, flavor, devices, threads, TF32.",
      "TF32 for cuBLAS matmuls is enabled by starting the process with "
          + "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1.",
      "--json: one JSON object, with CUDA/cuDNN versions and the numerics self-check verdict."
    })
public final class EngineInfoCommand implements Callable<Integer> {
  @Option(names = "--json", description = "Print one JSON object (includes the self-check)")
  boolean json;

  @Option(
      names = "--no-selfcheck",
      description = "With --json: skip the numerics self-check (selfcheck: null)")
  boolean noSelfCheck;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter w = spec.commandLine().getOut();
    Map<String, String> facts = EngineFacts.collect();
    if (!json) {
      for (Map.Entry<String, String> e : facts.entrySet()) {
        w.printf("%-22s %s%n", e.getKey() + ":", e.getValue());
      }
      w.flush();
      return 0;
    }
    ObjectNode o = Json.mapper().createObjectNode();
    Engine engine = Engine.getEngine("PyTorch");
    String dir = LibUtils.getLibtorchPath();
    o.put("engine", engine.getEngineName());
    o.put("djl", Engine.getDjlVersion());
    o.put("libtorch", engine.getVersion());
    o.put("flavor", facts.get("flavor"));
    o.put("native_dir", dir);
    o.put("cuda", cudaOf(facts.get("flavor")));
    o.put("cudnn", cudnnIn(Path.of(dir)));
    o.put("default_device", engine.defaultDevice().toString());
    o.put("gpus", engine.getGpuCount());
    ArrayNode devices = o.putArray("devices");
    for (Device d : engine.getDevices()) {
      devices.add(d.toString());
    }
    o.put("intra_op_threads", facts.get("intra-op threads"));
    o.put("capabilities", facts.get("capabilities"));
    ObjectNode tf32 = o.putObject("tf32");
    tf32.put("cublas_matmul", LibtorchContext.tf32CuBlas());
    tf32.put("cudnn_conv", LibtorchContext.tf32CuDnn());
    tf32.put("env_" + EngineFacts.TF32_ENV, System.getenv(EngineFacts.TF32_ENV));
    tf32.put("describe", facts.get("tf32"));
    o.put("onednn_isa_cap", facts.get("onednn isa cap"));
    if (noSelfCheck) {
      o.putNull("selfcheck");
    } else {
      SelfCheckReport r =
          ComputeThread.call(
              "farm-engine-info-selfcheck",
              () -> NumericsSelfCheck.standard().runOnDefaultDevice());
      ObjectNode s = o.putObject("selfcheck");
      s.put("device", engine.defaultDevice().toString());
      s.put("passed", r.passed());
      s.put("summary", r.summary());
    }
    w.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(o));
    w.flush();
    return 0;
  }

  /** CUDA version of a DJL flavor: cu128 is 12.8; null for CPU builds. */
  static String cudaOf(String flavor) {
    Matcher m = Pattern.compile("cu(\\d+)(\\d)").matcher(flavor == null ? "" : flavor);
    return m.lookingAt() ? m.group(1) + "." + m.group(2) : null;
  }

  /** The cuDNN major version(s) bundled beside libtorch (libcudnn*.so.N), or null. */
  static String cudnnIn(Path nativeDir) throws IOException {
    if (!Files.isDirectory(nativeDir)) {
      return null;
    }
    TreeSet<String> versions = new TreeSet<>();
    Pattern p = Pattern.compile("libcudnn[^/]*\\.so\\.(\\d+(\\.\\d+)*)");
    try (Stream<Path> files = Files.list(nativeDir)) {
      files.forEach(
          f -> {
            Matcher m = p.matcher(f.getFileName().toString());
            if (m.matches()) {
              versions.add(m.group(1));
            }
          });
    }
    return versions.isEmpty() ? null : String.join(",", versions);
  }
}
