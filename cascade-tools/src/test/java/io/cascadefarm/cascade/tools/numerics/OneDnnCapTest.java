package io.cascadefarm.cascade.tools.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The cap reaches oneDNN: in a child JVM started without {@code ONEDNN_MAX_CPU_ISA}, oneDNN's own
 * verbose log names the SSE4.1 kernels for the port's convolution; with {@code
 * ONEDNN_MAX_CPU_ISA=ALL} the operator's choice wins.
 */
class OneDnnCapTest {
  @Test
  void withoutAnOperatorChoiceConvolutionsRunOnSse41Kernels() throws Exception {
    List<String> out = child(Map.of());
    assertTrue(out.contains("SETTING ONEDNN_MAX_CPU_ISA=SSE41 (farm default)"), out.toString());
    List<String> convs = convolutionKernels(out);
    assertFalse(convs.isEmpty(), "oneDNN logged no convolution:\n" + out);
    convs.forEach(k -> assertTrue(k.endsWith("sse41"), "kernel " + k + " in\n" + out));
  }

  @Test
  void theOperatorsChoiceWins() throws Exception {
    List<String> out = child(Map.of("ONEDNN_MAX_CPU_ISA", "ALL"));
    assertTrue(
        out.contains("SETTING ONEDNN_MAX_CPU_ISA=ALL (from ONEDNN_MAX_CPU_ISA in the environment)"),
        out.toString());
    if (cpuFlags().contains(" avx2")) {
      List<String> convs = convolutionKernels(out);
      assertFalse(convs.isEmpty(), out.toString());
      convs.forEach(k -> assertFalse(k.endsWith("sse41"), "kernel " + k + " in\n" + out));
    }
  }

  /** The implementation field of oneDNN's {@code exec,cpu,convolution} verbose lines. */
  private static List<String> convolutionKernels(List<String> out) {
    List<String> kernels = new ArrayList<>();
    for (String line : out) {
      String[] f = line.split(",");
      if (line.startsWith("onednn_verbose") && f.length > 7 && f[5].equals("convolution")) {
        kernels.add(f[6]);
      }
    }
    return kernels;
  }

  private static String cpuFlags() throws IOException {
    Path info = Path.of("/proc/cpuinfo");
    return Files.isReadable(info) ? Files.readString(info) : "";
  }

  private static List<String> child(Map<String, String> env) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Dai.djl.offline=true",
                OneConvolution.class.getName())
            .redirectErrorStream(true);
    pb.environment().remove("ONEDNN_MAX_CPU_ISA");
    pb.environment().remove("DNNL_MAX_CPU_ISA");
    pb.environment().put("ONEDNN_VERBOSE", "1");
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] bytes = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), text);
    return text.lines().toList();
  }
}
