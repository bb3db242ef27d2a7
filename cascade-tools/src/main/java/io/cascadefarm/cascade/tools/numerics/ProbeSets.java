package io.cascadefarm.cascade.tools.numerics;

import io.cascadefarm.cascade.nn.Resample;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which shapes are probed: a small fixed set for the start-up self-check, and a seeded random sweep
 * over the whole range the networks use (tests, {@code farm net selfcheck --sweep N}).
 */
public final class ProbeSets {
  private ProbeSets() {}

  /**
   * The fixed self-check set: a few shapes per family, chosen to cover channel counts that are and
   * are not multiples of 8/16, odd and non-square sizes, strides 1 and 2, kernels 1, 3 and 5, and
   * the two convolutions known to be miscomputed by libtorch 2.7.1's oneDNN on affected AMD EPYC
   * hosts (2x24x5x7 -> 24 with AVX-512, 2x12x10x14 -> 12 with AVX2).
   */
  public static List<OpProbe> selfCheck() {
    List<OpProbe> p = new ArrayList<>();
    long s = 1;
    p.add(new ConvProbe(2, 24, 5, 7, 24, 3, 1, 1, 1, s++));
    p.add(new ConvProbe(2, 12, 10, 14, 12, 3, 1, 1, 1, s++));
    p.add(new ConvProbe(1, 3, 17, 23, 16, 3, 1, 1, 1, s++));
    p.add(new ConvProbe(2, 16, 9, 13, 32, 3, 2, 1, 1, s++));
    p.add(new ConvProbe(1, 33, 11, 7, 40, 1, 1, 0, 1, s++));
    p.add(new ConvProbe(3, 48, 6, 10, 48, 3, 1, 1, 1, s++));
    p.add(new ConvProbe(2, 64, 8, 8, 64, 1, 1, 0, 1, s++));
    p.add(new ConvProbe(1, 5, 40, 56, 7, 3, 2, 1, 1, s++));
    p.add(new ConvProbe(4, 20, 12, 15, 36, 3, 1, 1, 1, s++));
    p.add(new ConvProbe(1, 32, 16, 16, 32, 3, 1, 1, 4, s++));
    p.add(new ConvProbe(1, 6, 24, 20, 32, 4, 4, 0, 1, s++));
    p.add(ConvProbe.depthwise(2, 24, 9, 11, 3, s++));
    p.add(ConvProbe.depthwise(1, 64, 16, 12, 3, s++));
    p.add(ConvProbe.depthwise(1, 37, 7, 13, 3, s++));
    p.add(ConvProbe.depthwise(3, 16, 8, 8, 5, s++));
    p.add(new LinearProbe(2, 77, 64, 48, s++));
    p.add(new LinearProbe(1, 7, 33, 65, s++));
    p.add(new LinearProbe(2, 36, 128, 256, s++));
    p.add(new LinearProbe(3, 1, 1280, 16, s++));
    p.add(new MatMulProbe(2, 17, 33, 9, s++));
    p.add(new MatMulProbe(4, 64, 64, 64, s++));
    p.add(new AttentionProbe(2, 2, 36, 41, 16, s++));
    p.add(new AttentionProbe(1, 2, 100, 100, 32, s++));
    p.add(new AttentionProbe(1, 1, 7, 300, 8, s++));
    p.add(NormProbe.layer(50, 33, s++));
    p.add(NormProbe.layer(8, 1280, s++));
    p.add(NormProbe.layer(100, 64, s++));
    p.add(NormProbe.group(2, 32, 63, 8, s++));
    p.add(NormProbe.group(1, 12, 25, 3, s++));
    p.add(NormProbe.batchNorm(2, 24, 35, s++));
    p.add(NormProbe.batchNorm(1, 40, 64, s++));
    p.add(new InterpolateProbe(2, 3, 10, 14, 20, 28, Resample.Mode.BILINEAR, true, s++));
    p.add(new InterpolateProbe(1, 4, 24, 18, 7, 5, Resample.Mode.BILINEAR, false, s++));
    p.add(new InterpolateProbe(1, 2, 5, 7, 12, 9, Resample.Mode.NEAREST, false, s++));
    p.add(new ActivationProbe(true, 4096, s++));
    p.add(new ActivationProbe(false, 4096, s++));
    for (boolean scripted : new boolean[] {true, false}) {
      p.add(new BlockProbe(BlockProbe.Kind.RES, scripted, 1, 16, 6, 7, s));
      p.add(new BlockProbe(BlockProbe.Kind.RES, scripted, 2, 12, 5, 5, s + 1));
      p.add(new BlockProbe(BlockProbe.Kind.ATTN, scripted, 1, 16, 4, 5, s + 2));
      p.add(new BlockProbe(BlockProbe.Kind.ATTN, scripted, 2, 8, 3, 3, s + 3));
    }
    return p;
  }

  /**
   * {@code perFamily} random probes per op family drawn from {@code seed}: convolutions with 3-64
   * channels (including non-multiples of 8 and 16), kernels 1 and 3, strides 1 and 2, sizes from
   * 3x3 to 40x56, batch 1-4; depthwise convolutions with kernels 3 and 5; linear layers, matmuls,
   * attention, norms, interpolation and activations at the sizes of the tiny to mid networks; whole
   * ResBlocks and AttnBlocks on both inference paths (scripted, op-by-op).
   */
  public static List<OpProbe> sweep(long seed, int perFamily) {
    SplittableRandom r = new SplittableRandom(seed);
    List<OpProbe> p = new ArrayList<>();
    for (int i = 0; i < perFamily; i++) {
      int k = r.nextBoolean() ? 1 : 3;
      int stride = 1 + r.nextInt(2);
      int h = 3 + r.nextInt(38);
      int w = 3 + r.nextInt(54);
      int in = 3 + r.nextInt(62);
      int out = 3 + r.nextInt(62);
      p.add(new ConvProbe(1 + r.nextInt(4), in, h, w, out, k, stride, k / 2, 1, r.nextLong()));
    }
    for (int i = 0; i < perFamily; i++) {
      int c = 3 + r.nextInt(62);
      int k = r.nextInt(4) == 0 ? 5 : 3;
      p.add(
          ConvProbe.depthwise(
              1 + r.nextInt(4), c, 3 + r.nextInt(38), 3 + r.nextInt(54), k, r.nextLong()));
    }
    for (int i = 0; i < perFamily; i++) {
      p.add(
          new LinearProbe(
              1 + r.nextInt(3),
              1 + r.nextInt(80),
              3 + r.nextInt(300),
              3 + r.nextInt(300),
              r.nextLong()));
      p.add(
          new MatMulProbe(
              1 + r.nextInt(8),
              1 + r.nextInt(100),
              1 + r.nextInt(100),
              1 + r.nextInt(100),
              r.nextLong()));
      p.add(
          new AttentionProbe(
              1 + r.nextInt(3),
              1 + r.nextInt(4),
              1 + r.nextInt(150),
              1 + r.nextInt(150),
              4 + r.nextInt(61),
              r.nextLong()));
      p.add(NormProbe.layer(1 + r.nextInt(200), 2 + r.nextInt(300), r.nextLong()));
      int groups = 1 + r.nextInt(8);
      p.add(
          NormProbe.group(
              1 + r.nextInt(3),
              groups * (1 + r.nextInt(8)),
              1 + r.nextInt(200),
              groups,
              r.nextLong()));
      p.add(
          NormProbe.batchNorm(
              1 + r.nextInt(3), 1 + r.nextInt(64), 1 + r.nextInt(200), r.nextLong()));
      boolean bilinear = r.nextInt(3) > 0;
      p.add(
          new InterpolateProbe(
              1 + r.nextInt(2),
              1 + r.nextInt(8),
              1 + r.nextInt(40),
              1 + r.nextInt(40),
              1 + r.nextInt(60),
              1 + r.nextInt(60),
              bilinear ? Resample.Mode.BILINEAR : Resample.Mode.NEAREST,
              bilinear && r.nextBoolean(),
              r.nextLong()));
      p.add(new ActivationProbe(r.nextBoolean(), 1 + r.nextInt(5000), r.nextLong()));
      p.add(
          new BlockProbe(
              r.nextBoolean() ? BlockProbe.Kind.RES : BlockProbe.Kind.ATTN,
              r.nextBoolean(),
              1 + r.nextInt(2),
              2 * (1 + r.nextInt(16)),
              1 + r.nextInt(10),
              1 + r.nextInt(10),
              r.nextLong()));
    }
    return p;
  }
}
