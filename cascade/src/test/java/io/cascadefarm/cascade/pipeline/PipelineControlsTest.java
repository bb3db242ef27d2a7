package io.cascadefarm.cascade.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.diffusion.SamplerType;
import io.cascadefarm.cascade.diffusion.SeededNoise;
import io.cascadefarm.cascade.diffusion.StageSettings;
import io.cascadefarm.cascade.diffusion.TorchRandom;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.model.ModelRegistry;
import io.cascadefarm.cascade.net.clip.TextConditioning;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The issue-18 controls through the whole pipeline on the tiny preset: prior + decode reproduce
 * text-to-image, the decoder negative prompt reaches Stage B, sampler / rescale / noise / time
 * grids change the render as they should and leave the defaults as they were, caller latents and
 * precomputed embeddings stand in for what the pipeline would compute, several variation images.
 */
class PipelineControlsTest {
  private static final int W = 128;
  private static final int H = 96;
  private static ModelRegistry registry;
  private static CascadePipeline pipeline;

  @BeforeAll
  static void open() {
    registry =
        ModelRegistry.open(Path.of("target", "no-checkpoints"), Path.of("target", "tiny-models"));
    pipeline = new CascadePipeline(registry);
  }

  @AfterAll
  static void close() {
    pipeline.close();
    registry.close();
  }

  static GenerationRequestBuilder base(GenerationKind kind, long seed) {
    return GenerationRequest.builder(kind)
        .model("tiny")
        .prompt("a tiny test")
        .size(W, H)
        .seed(seed)
        .prior(new StageSettings(3, 4.0, 2.0))
        .decoder(new StageSettings(2, 1.5, 1.0));
  }

  static int[] pixels(GenerationResult r, int i) {
    BufferedImage img = r.images().get(i).image();
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  static GenerationResult run(GenerationRequestBuilder b) {
    return pipeline.generate(b.build(), GenerationListener.NONE);
  }

  @Test
  void priorThenDecodeEqualsTextToImage() {
    GenerationResult full = run(base(GenerationKind.TEXT_TO_IMAGE, 11).images(2));
    GenerationResult prior = run(base(GenerationKind.PRIOR, 11).images(2));
    assertEquals(2, prior.images().size());
    float[] both = new float[0];
    long[] shape = null;
    for (int i = 0; i < 2; i++) {
      GeneratedImage p = prior.images().get(i);
      assertNull(p.image());
      assertEquals("safetensors", p.format());
      assertEquals(11 + i, p.seed());
      HostTensor latents = TensorFiles.read(p.latents()).get(TensorFiles.PRIOR_LATENTS);
      shape = latents.shape();
      assertArrayEquals(new long[] {1, 16, LatentSizes.stageC(H), LatentSizes.stageC(W)}, shape);
      float[] grown = java.util.Arrays.copyOf(both, both.length + latents.data().length);
      System.arraycopy(latents.data(), 0, grown, both.length, latents.data().length);
      both = grown;
    }
    shape = shape.clone();
    shape[0] = 2;
    // a decode job of the two stored latents with the same seed renders the same two images
    GenerationResult decoded =
        run(
            base(GenerationKind.DECODE, 11)
                .images(2)
                .embedding(TensorFiles.PRIOR_LATENTS, new HostTensor(both, shape)));
    assertArrayEquals(pixels(full, 0), pixels(decoded, 0));
    assertArrayEquals(pixels(full, 1), pixels(decoded, 1));
  }

  @Test
  void decoderNegativePromptIsStageBsUnconditionalPrompt() {
    GenerationResult plain = run(base(GenerationKind.TEXT_TO_IMAGE, 5));
    GenerationResult emptyGiven =
        run(base(GenerationKind.TEXT_TO_IMAGE, 5).decoderNegativePrompt(""));
    GenerationResult negative =
        run(base(GenerationKind.TEXT_TO_IMAGE, 5).decoderNegativePrompt("blurry"));
    assertArrayEquals(pixels(plain, 0), pixels(emptyGiven, 0));
    assertFalse(java.util.Arrays.equals(pixels(plain, 0), pixels(negative, 0)));
    // the prior ignores it: same Stage C latents
    byte[] p1 = run(base(GenerationKind.PRIOR, 5)).images().get(0).latents();
    byte[] p2 =
        run(base(GenerationKind.PRIOR, 5).decoderNegativePrompt("blurry"))
            .images()
            .get(0)
            .latents();
    assertArrayEquals(
        TensorFiles.read(p1).get(TensorFiles.PRIOR_LATENTS).data(),
        TensorFiles.read(p2).get(TensorFiles.PRIOR_LATENTS).data());
  }

  @Test
  void samplerRescaleGridAndNoiseChangeTheRenderDefaultsDoNot() {
    int[] plain = pixels(run(base(GenerationKind.TEXT_TO_IMAGE, 9)), 0);
    int[] defaults =
        pixels(
            run(
                base(GenerationKind.TEXT_TO_IMAGE, 9)
                    .sampler(SamplerType.DDPM)
                    .cfgRescale(0.7)
                    .noise(NoiseKind.JAVA)),
            0);
    assertArrayEquals(plain, defaults);
    // the evenly spaced grid given explicitly is gdf's own
    List<Float> even = List.of(1.0f, 2f / 3f, 1f / 3f, 0f);
    int[] explicitGrid =
        pixels(
            run(
                base(GenerationKind.TEXT_TO_IMAGE, 9)
                    .prior(new StageSettings(3, 4.0, 2.0, toF32(even)))),
            0);
    assertArrayEquals(plain, explicitGrid);
    for (GenerationRequestBuilder other :
        List.of(
            base(GenerationKind.TEXT_TO_IMAGE, 9).sampler(SamplerType.DDIM),
            base(GenerationKind.TEXT_TO_IMAGE, 9).cfgRescale(0),
            base(GenerationKind.TEXT_TO_IMAGE, 9).noise(NoiseKind.TORCH),
            base(GenerationKind.TEXT_TO_IMAGE, 9)
                .decoder(new StageSettings(2, 1.5, 1.0, List.of(1f, 0.2f, 0f))))) {
      int[] px = pixels(run(other), 0);
      assertFalse(java.util.Arrays.equals(plain, px), other.build().batchKey());
      assertArrayEquals(px, pixels(run(other), 0), "deterministic");
    }
  }

  private static List<Float> toF32(List<Float> v) {
    float[] ts = io.cascadefarm.cascade.diffusion.Timesteps.linspace(1f, 0f, 4);
    return List.of(ts[0], ts[1], ts[2], ts[3]);
  }

  @Test
  void torchNoiseIsOneStreamPerRowAndBatchIndependent() {
    NoiseStreams streams = NoiseStreams.of(NoiseKind.TORCH, new long[] {3, 4});
    assertSame(streams.stream("prior"), streams.stream("decoder"));
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray first = streams.stream("prior").initial(m, new Shape(2, 16, 2, 3));
      float[] row1 = java.util.Arrays.copyOfRange(first.toFloatArray(), 96, 192);
      assertArrayEquals(new TorchRandom(4).randn(96), row1, 0f);
    }
    // image i draws from torch.manual_seed(seed + i) (rows are independent once the CFG rescale,
    // whose statistics span a request's images as gdf's span its batch, is off)
    GenerationResult from20 =
        run(base(GenerationKind.TEXT_TO_IMAGE, 20).images(2).cfgRescale(0).noise(NoiseKind.TORCH));
    GenerationResult from21 =
        run(base(GenerationKind.TEXT_TO_IMAGE, 21).images(2).cfgRescale(0).noise(NoiseKind.TORCH));
    TinyPipelineTest.assertSamePixels(pixels(from21, 0), pixels(from20, 1));
  }

  @Test
  void callerLatentsReplaceTheInitialNoise() {
    long seed = 31;
    Shape shape = new Shape(1, 16, LatentSizes.stageC(H), LatentSizes.stageC(W));
    float[] initial;
    try (NDManager m = NDManager.newBaseManager()) {
      initial = new SeededNoise(new long[] {seed}, "prior").initial(m, shape).toFloatArray();
    }
    HostTensor latents = new HostTensor(initial, shape.getShape());
    int[] plain = pixels(run(base(GenerationKind.TEXT_TO_IMAGE, seed)), 0);
    int[] given = pixels(run(base(GenerationKind.TEXT_TO_IMAGE, seed).latents(latents)), 0);
    assertArrayEquals(plain, given);
    float[] other = initial.clone();
    other[0] += 3f;
    int[] changed =
        pixels(
            run(
                base(GenerationKind.TEXT_TO_IMAGE, seed)
                    .latents(new HostTensor(other, shape.getShape()))),
            0);
    assertFalse(java.util.Arrays.equals(plain, changed));
    GenerationRequest wrong =
        base(GenerationKind.TEXT_TO_IMAGE, seed)
            .latents(new HostTensor(new float[16], new long[] {1, 16, 1, 1}))
            .build();
    assertThrows(IllegalArgumentException.class, wrong::requireValid);
  }

  @Test
  void precomputedPromptEmbeddingsStandInForThePrompt() {
    CascadeModels models = registry.get("tiny");
    Map<String, HostTensor> e = new java.util.HashMap<>();
    try (NDManager m = NDManager.newBaseManager()) {
      TextConditioning c = models.text().encode(List.of("a tiny test"), m);
      e.put("prompt_embeds", host(c.tokens()));
      e.put("prompt_embeds_pooled", host(c.pooled()));
    }
    int[] plain = pixels(run(base(GenerationKind.TEXT_TO_IMAGE, 41)), 0);
    GenerationRequestBuilder b = base(GenerationKind.TEXT_TO_IMAGE, 41).prompt("something else");
    e.forEach(b::embedding);
    assertArrayEquals(plain, pixels(run(b), 0));
  }

  @Test
  void severalVariationImagesAreAllUsed() {
    BufferedImage a = TinyPipelineTest.inputImage();
    BufferedImage flipped =
        new BufferedImage(a.getWidth(), a.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        flipped.setRGB(a.getWidth() - 1 - x, y, a.getRGB(x, y));
      }
    }
    int[] one = pixels(run(base(GenerationKind.IMAGE_VARIATION, 3).image(a)), 0);
    int[] two =
        pixels(run(base(GenerationKind.IMAGE_VARIATION, 3).image(a).extraImage(flipped)), 0);
    int[] swapped =
        pixels(run(base(GenerationKind.IMAGE_VARIATION, 3).image(flipped).extraImage(a)), 0);
    assertFalse(java.util.Arrays.equals(one, two));
    assertFalse(java.util.Arrays.equals(two, swapped), "order matters (concatenated on dim 1)");
    assertTrue(
        base(GenerationKind.TEXT_TO_IMAGE, 3).extraImage(a).build().validate().stream()
            .anyMatch(p -> p.field().equals("extraImages")));
  }

  @Test
  void promptWeightsOnlyWhenAskedFor() {
    int[] plain = pixels(run(base(GenerationKind.TEXT_TO_IMAGE, 17)), 0);
    int[] unit =
        pixels(
            run(
                base(GenerationKind.TEXT_TO_IMAGE, 17)
                    .prompt("a (tiny:1.0) test")
                    .promptWeights(true)),
            0);
    assertArrayEquals(plain, unit, "weight 1 is the plain prompt");
    int[] weighted =
        pixels(
            run(
                base(GenerationKind.TEXT_TO_IMAGE, 17)
                    .prompt("a (tiny:1.6) test")
                    .promptWeights(true)),
            0);
    int[] literal =
        pixels(run(base(GenerationKind.TEXT_TO_IMAGE, 17).prompt("a (tiny:1.6) test")), 0);
    assertFalse(java.util.Arrays.equals(plain, weighted));
    assertFalse(
        java.util.Arrays.equals(weighted, literal), "off: the text goes to CLIP as written");
  }

  private static HostTensor host(NDArray a) {
    return new HostTensor(
        a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(),
        a.getShape().getShape());
  }
}
