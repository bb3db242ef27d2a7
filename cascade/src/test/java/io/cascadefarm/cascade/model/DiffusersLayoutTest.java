package io.cascadefarm.cascade.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.cascade.diffusion.StageSettings;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.io.SafetensorsWriter;
import io.cascadefarm.cascade.io.TensorInfo;
import io.cascadefarm.cascade.net.controlnet.ControlNetConfig;
import io.cascadefarm.cascade.pipeline.CascadePipeline;
import io.cascadefarm.cascade.pipeline.GenerationKind;
import io.cascadefarm.cascade.pipeline.GenerationListener;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import io.cascadefarm.cascade.pipeline.GenerationResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny checkpoint in diffusers' layout renders exactly what the same weights render in the
 * official layout. The diffusers files are made here from the tiny official files with the renames
 * of diffusers' {@code scripts/convert_stable_cascade.py} ({@code attn.in_proj_weight/bias} chunked
 * in three along dim 0 into {@code to_q/to_k/to_v}, {@code attn.out_proj} to {@code to_out.0}, the
 * decoder's {@code clip_mapper} to {@code clip_txt_pooled_mapper}) and of {@code PaellaVQModel}'s
 * {@code VectorQuantizer} ({@code vquantizer.embedding.weight}); the prior is split into two shards
 * with an index, as diffusers saves large models. No EfficientNet and no Previewer, as in a
 * diffusers checkpoint.
 */
class DiffusersLayoutTest {
  @TempDir Path tmp;

  /** diffusers' conversion script, key by key (test-side, independent of the loader's table). */
  static Map<String, float[]> convert(
      SafetensorsReader in, String component, Map<String, long[]> shapes) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (TensorInfo t : in.infos()) {
      String key = t.name();
      float[] v = in.readFloats(key);
      long[] shape = t.shape();
      if (!component.equals("vqgan") && key.endsWith("in_proj_weight")) {
        chunk(out, shapes, key, v, shape, "attn.in_proj_weight", "weight");
      } else if (!component.equals("vqgan") && key.endsWith("in_proj_bias")) {
        chunk(out, shapes, key, v, shape, "attn.in_proj_bias", "bias");
      } else if (!component.equals("vqgan") && key.endsWith("out_proj.weight")) {
        put(out, shapes, key.replace("attn.out_proj.weight", "to_out.0.weight"), v, shape);
      } else if (!component.equals("vqgan") && key.endsWith("out_proj.bias")) {
        put(out, shapes, key.replace("attn.out_proj.bias", "to_out.0.bias"), v, shape);
      } else if (component.equals("decoder") && key.endsWith("clip_mapper.weight")) {
        put(
            out,
            shapes,
            key.replace("clip_mapper.weight", "clip_txt_pooled_mapper.weight"),
            v,
            shape);
      } else if (component.equals("decoder") && key.endsWith("clip_mapper.bias")) {
        put(out, shapes, key.replace("clip_mapper.bias", "clip_txt_pooled_mapper.bias"), v, shape);
      } else if (component.equals("vqgan") && key.equals("vquantizer.codebook.weight")) {
        put(out, shapes, "vquantizer.embedding.weight", v, shape);
      } else {
        put(out, shapes, key, v, shape);
      }
    }
    return out;
  }

  private static void chunk(
      Map<String, float[]> out,
      Map<String, long[]> shapes,
      String key,
      float[] v,
      long[] shape,
      String what,
      String kind) {
    int third = v.length / 3;
    long[] s = shape.clone();
    s[0] /= 3;
    String[] names = {"to_q.", "to_k.", "to_v."};
    for (int i = 0; i < 3; i++) {
      put(
          out,
          shapes,
          key.replace(what, names[i] + kind),
          Arrays.copyOfRange(v, i * third, (i + 1) * third),
          s);
    }
  }

  private static void put(
      Map<String, float[]> out, Map<String, long[]> shapes, String k, float[] v, long[] s) {
    out.put(k, v);
    shapes.put(k, s);
  }

  static void write(
      Path file, Map<String, float[]> t, Map<String, long[]> shapes, List<String> keys)
      throws IOException {
    SafetensorsWriter w = new SafetensorsWriter();
    for (String k : keys) {
      w.addF32(k, shapes.get(k), t.get(k));
    }
    Files.createDirectories(file.getParent());
    w.write(file);
  }

  /** The tiny official files rewritten in diffusers' layout under {@code root}. */
  static ModelLayout diffusersCopy(ModelLayout official, Path root) throws IOException {
    ModelLayout d = new ModelLayout(root);
    ObjectMapper json = new ObjectMapper();
    Map<String, Path> sources =
        Map.of(
            "prior", official.stageC(false),
            "decoder", official.stageB(false),
            "vqgan", official.stageA());
    for (Map.Entry<String, Path> e : sources.entrySet()) {
      Map<String, long[]> shapes = new LinkedHashMap<>();
      Map<String, float[]> t;
      try (SafetensorsReader r = SafetensorsReader.open(e.getValue())) {
        t = convert(r, e.getKey(), shapes);
      }
      Path dir = d.diffusers(e.getKey());
      List<String> keys = new ArrayList<>(t.keySet());
      if (e.getKey().equals("prior")) {
        int half = keys.size() / 2;
        ObjectNode index = json.createObjectNode();
        ObjectNode map = index.putObject("weight_map");
        String[] files = {
          "diffusion_pytorch_model-00001-of-00002.safetensors",
          "diffusion_pytorch_model-00002-of-00002.safetensors"
        };
        write(dir.resolve(files[0]), t, shapes, keys.subList(0, half));
        write(dir.resolve(files[1]), t, shapes, keys.subList(half, keys.size()));
        for (int i = 0; i < keys.size(); i++) {
          map.put(keys.get(i), files[i < half ? 0 : 1]);
        }
        json.writeValue(
            dir.resolve("diffusion_pytorch_model.safetensors.index.json").toFile(), index);
      } else {
        write(dir.resolve("diffusion_pytorch_model.safetensors"), t, shapes, keys);
      }
    }
    ObjectNode vq =
        json.createObjectNode().put("scale_factor", NetworkConfigs.tiny().stageA().scaleFactor());
    json.writeValue(d.diffusers("vqgan").resolve("config.json").toFile(), vq);
    copyTree(official.cascadeDir().resolve("text_encoder"), d.cascadeDir().resolve("text_encoder"));
    copyTree(official.tokenizer(), d.tokenizer());
    copyTree(official.imageEncoder().getParent(), d.cascadeDir().resolve("image_encoder"));
    return d;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  static ModelLoader loader(ModelLayout layout) {
    return variant ->
        CascadeModelFactory.load(
            "tiny",
            "tiny",
            layout,
            false,
            NetworkConfigs.tiny(),
            ControlNetConfig::tinyForVariant,
            Precision.FP32,
            Devices.defaultDevice());
  }

  static int[] render(ModelLayout layout, GenerationKind kind) {
    try (ModelRegistry registry = new ModelRegistry(loader(layout));
        CascadePipeline pipeline = new CascadePipeline(registry)) {
      GenerationResult r =
          pipeline.generate(
              GenerationRequest.builder(kind)
                  .model("tiny")
                  .prompt("a tiny test")
                  .size(128, 96)
                  .seed(5L)
                  .prior(new StageSettings(2, 4.0, 2.0))
                  .decoder(new StageSettings(2, 1.1, 1.0))
                  .build(),
              GenerationListener.NONE);
      BufferedImage img = r.images().get(0).image();
      return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
  }

  @Test
  void aDiffusersCheckpointRendersWhatTheOfficialOneRenders() throws Exception {
    ModelLayout official = TinyPreset.prepare(Path.of("target", "tiny-models"));
    ModelLayout diffusers = diffusersCopy(official, tmp.resolve("models"));
    assertTrue(Files.notExists(diffusers.stageC(false)) && Files.notExists(diffusers.effnet()));
    assertEquals(List.of(), diffusers.missingFor(false));
    try (DiffusersWeights w =
        DiffusersWeights.open(diffusers.diffusersStageC(false), DiffusersWeights.Component.PRIOR)) {
      assertTrue(
          w.shapes().keySet().stream().anyMatch(k -> k.endsWith("attention.attn.in_proj_weight")));
      assertTrue(w.shapes().keySet().stream().noneMatch(k -> k.contains("to_q")));
    }
    assertArrayEquals(
        render(official, GenerationKind.TEXT_TO_IMAGE),
        render(diffusers, GenerationKind.TEXT_TO_IMAGE));
    // diffusers has no EfficientNet: the kinds that need it are refused, naming the file
    try (ModelRegistry registry = new ModelRegistry(loader(diffusers));
        CascadePipeline pipeline = new CascadePipeline(registry)) {
      assertNull(registry.get("tiny").previewer());
      UnsupportedOperationException e =
          assertThrows(
              UnsupportedOperationException.class,
              () ->
                  pipeline.generate(
                      GenerationRequest.builder(GenerationKind.RECONSTRUCT)
                          .model("tiny")
                          .size(128, 96)
                          .seed(1L)
                          .decoder(new StageSettings(1, 1.1, 1.0))
                          .image(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB))
                          .build(),
                      GenerationListener.NONE));
      assertTrue(e.getMessage().contains("effnet_encoder.safetensors"), e.getMessage());
    }
  }
}
