package io.cascadefarm.cascade.tools.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.net.stagea.StageA;
import io.cascadefarm.cascade.net.stagea.StageAConfig;
import io.cascadefarm.cascade.net.stageb.StageB;
import io.cascadefarm.cascade.net.stageb.StageBConfig;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.net.stagec.StageCConfig;
import io.cascadefarm.cascade.nn.Module;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One benchmarked forward: a network at a config with a latent size and batch. {@code build}
 * declares the network; {@code forward} runs it on fresh random inputs of {@code batch} rows.
 */
public record BenchCase(
    String name,
    String network,
    int batch,
    int height,
    int width,
    Module module,
    Function<NDManager, NDArray> forward) {

  /** Case names accepted by {@link #named}. */
  public static final List<String> NAMES =
      List.of("c-tiny", "c-mid", "c-lite", "b-tiny", "b-mid", "b-lite", "a-mid", "a-full");

  /** The default set: everything. */
  public static List<String> defaults() {
    return NAMES;
  }

  /** Builds a case by name (see {@link #NAMES}). */
  public static BenchCase named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "c-tiny" -> stageC(name, StageCConfig.tiny(), 2, 12, 12);
      case "c-mid" -> stageC(name, MidConfigs.stageC(), 2, 24, 24);
      case "c-lite" -> stageC(name, StageCConfig.lite(), 2, 24, 24);
      case "b-tiny" -> stageB(name, StageBConfig.tiny(), 2, 32, 32);
      case "b-mid" -> stageB(name, MidConfigs.stageB(), 1, 128, 128);
      case "b-lite" -> stageB(name, StageBConfig.lite(), 1, 256, 256);
      case "a-mid" -> stageADecode(name, 1, 64, 64);
      case "a-full" -> stageADecode(name, 1, 256, 256);
      default ->
          throw new IllegalArgumentException("unknown bench size '" + name + "'; known: " + NAMES);
    };
  }

  static BenchCase stageC(String name, StageCConfig cfg, int b, int h, int w) {
    StageC net = new StageC(cfg);
    return new BenchCase(
        name,
        "stage_c",
        b,
        h,
        w,
        net,
        m ->
            net.forward(
                m.randomNormal(new Shape(b, cfg.cIn(), h, w)),
                m.randomUniform(0f, 1f, new Shape(b)),
                m.randomNormal(new Shape(b, 77, cfg.cClipText())),
                m.randomNormal(new Shape(b, 1, cfg.cClipTextPooled())),
                m.randomNormal(new Shape(b, 1, cfg.cClipImg())),
                null,
                null));
  }

  static BenchCase stageB(String name, StageBConfig cfg, int b, int h, int w) {
    StageB net = new StageB(cfg);
    return new BenchCase(
        name,
        "stage_b",
        b,
        h,
        w,
        net,
        m ->
            net.forward(
                m.randomNormal(new Shape(b, cfg.cIn(), h, w)),
                m.randomUniform(0f, 1f, new Shape(b)),
                m.randomNormal(
                    new Shape(b, cfg.cEffnet(), Math.max(1, h * 3 / 32), Math.max(1, w * 3 / 32))),
                m.randomNormal(new Shape(b, 1, cfg.cClip())),
                null,
                null));
  }

  /** The official Stage A decoder: latent (b, 4, h, w) to an image of 4h x 4w pixels. */
  static BenchCase stageADecode(String name, int b, int h, int w) {
    StageAConfig cfg = StageAConfig.official();
    StageA net = new StageA(cfg);
    return new BenchCase(
        name,
        "stage_a",
        b,
        h,
        w,
        net,
        m -> net.decode(m.randomNormal(new Shape(b, cfg.cLatent(), h, w))));
  }

  /** Number of parameters (declared, nothing allocated). */
  public long parameters() {
    return module.namedParameters().values().stream()
        .mapToLong(p -> new Shape(p.shape()).size())
        .sum();
  }

  /** e.g. {@code stage_c 2x16x24x24}. */
  public String describe() {
    return network + " " + batch + "x" + height + "x" + width;
  }
}
