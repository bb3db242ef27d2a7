package io.cascadefarm.cascade.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import io.cascadefarm.cascade.diffusion.StageSettings;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.model.Devices;
import io.cascadefarm.cascade.model.Precision;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every network, tensor and noise buffer of a pipeline lives on the pipeline's device: the weights
 * of a registry on an explicit device are there; a pipeline on a GPU that this CPU-only host lacks
 * fails on that device instead of quietly rendering on the default one; and no main code creates a
 * root manager on the engine's default device behind the caller's back.
 */
class DeviceTest {
  private static final Path MODELS = Path.of("target", "no-checkpoints");
  private static final Path TINY = Path.of("target", "tiny-models");

  @Test
  void weightsAndOutputsLiveOnTheRegistryDevice() {
    Device cpu = Device.cpu();
    try (CascadePipeline p = CascadePipeline.open(MODELS, TINY, Precision.FP32, cpu)) {
      assertEquals(cpu, p.device());
      CascadeModels m = p.registry().get("tiny");
      assertEquals(cpu, m.manager().getDevice());
      List<Module> nets =
          List.of(m.stageCLoras().network(List.of()), m.text().model(), m.image().model());
      for (Module net : nets) {
        for (Parameter param : net.namedParameters().values()) {
          assertEquals(cpu, param.array().getDevice(), param.toString());
          assertEquals(cpu, param.array().getManager().getDevice(), param.toString());
        }
      }
      GenerationResult r =
          p.generate(
              GenerationRequest.builder(GenerationKind.TEXT_TO_IMAGE)
                  .model("tiny")
                  .size(64, 64)
                  .seed(5L)
                  .prior(new StageSettings(1, 4.0, 2.0))
                  .decoder(new StageSettings(1, 1.0, 1.0))
                  .build(),
              null);
      assertEquals(1, r.images().size());
    }
  }

  @Test
  void aPipelineOnAMissingGpuFailsOnThatDevice() {
    assumeTrue(Devices.visibleGpus().isEmpty(), "this host has a GPU");
    try (CascadePipeline p = CascadePipeline.open(MODELS, TINY, Precision.FP32, Device.gpu(0))) {
      assertEquals(Device.gpu(0), p.device());
      RuntimeException e = assertThrows(RuntimeException.class, () -> p.registry().get("tiny"));
      String text = String.valueOf(e.getMessage()) + " " + e.getCause();
      assertTrue(text.toLowerCase().contains("cuda"), "expected a CUDA failure, got: " + text);
    }
  }

  @Test
  void devicesParseTheWorkerSetting() {
    assertEquals(List.of(Device.cpu()), Devices.parse("farm.worker.devices", "cpu"));
    assertFalse(Devices.visible().isEmpty());
    if (Devices.visibleGpus().isEmpty()) {
      assertEquals(List.of(Device.cpu()), Devices.parse("farm.worker.devices", "auto"));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> Devices.parse("farm.worker.devices", "cuda:0,cuda:1"));
      assertTrue(e.getMessage().contains("not visible"), e.getMessage());
    }
    assertThrows(
        IllegalArgumentException.class, () -> Devices.parse("farm.worker.devices", "tpu:3"));
  }

  /** Root managers in main code name their device (bench and the parity harness excepted). */
  @Test
  void noRootManagerOnTheDefaultDevice() throws IOException {
    Path root = Path.of("src", "main", "java", "io", "cascadefarm", "cascade");
    Pattern bare = Pattern.compile("newBaseManager\\(\\s*\\)");
    try (Stream<Path> files = Files.walk(root)) {
      List<String> offenders =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> !f.toString().contains("/bench/") && !f.toString().contains("/parity/"))
              .filter(
                  f -> {
                    try {
                      return bare.matcher(Files.readString(f)).find();
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .map(Path::toString)
              .toList();
      assertTrue(offenders.isEmpty(), "root managers on the default device: " + offenders);
    }
  }
}
