package io.cascadefarm.cascade.net.stageb;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.net.common.CascadeUNet;
import io.cascadefarm.cascade.net.common.REmbedding;
import io.cascadefarm.cascade.nn.Conv2d;
import io.cascadefarm.cascade.nn.ConvTranspose2d;
import io.cascadefarm.cascade.nn.LayerNorm;
import io.cascadefarm.cascade.nn.Linear;
import io.cascadefarm.cascade.nn.Norms;
import io.cascadefarm.cascade.nn.Ops;
import io.cascadefarm.cascade.nn.Resample;
import io.cascadefarm.cascade.nn.Scope;
import io.cascadefarm.cascade.nn.Sequential;
import io.cascadefarm.cascade.nn.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Stage B decoder ({@code modules/stage_b.py StageB}) with official state_dict keys:
 * effnet/pixels mappers, k2s2 conv downscalers and emulated ConvTranspose2d upscalers.
 */
public class StageB extends CascadeUNet {
  private final StageBConfig config;
  private final Sequential effnetMapper;
  private final Sequential pixelsMapper;
  private final Linear clipMapper;
  private final Sequential embedding;
  private final Sequential clf;

  public StageB(StageBConfig config) {
    this.config = config;
    int[] hidden = config.unet().cHidden();
    int cCond = config.unet().cCond();
    int p = config.patchSize();
    effnetMapper = child("effnet_mapper", mapper(config.cEffnet(), hidden[0]));
    pixelsMapper = child("pixels_mapper", mapper(config.cPixels(), hidden[0]));
    clipMapper = child("clip_mapper", new Linear(config.cClip(), (long) cCond * config.cClipSeq()));
    embedding =
        child(
            "embedding",
            new Sequential()
                .add(x -> Resample.pixelUnshuffle(x, p))
                .add(new Conv2d((long) config.cIn() * p * p, hidden[0], 1))
                .add(LayerNorm.channels2d(hidden[0], false, 1e-6f)));
    buildLevels(
        config.unet(),
        i ->
            new Sequential()
                .add(LayerNorm.channels2d(hidden[i - 1], false, 1e-6f))
                .add(new Conv2d(hidden[i - 1], hidden[i], 2, 2, 0, 1, true)),
        i ->
            new Sequential()
                .add(LayerNorm.channels2d(hidden[i], false, 1e-6f))
                .add(new ConvTranspose2d(hidden[i], hidden[i - 1], 2, 2)));
    clf =
        child(
            "clf",
            new Sequential()
                .add(LayerNorm.channels2d(hidden[0], false, 1e-6f))
                .add(new Conv2d(hidden[0], (long) config.cOut() * p * p, 1))
                .add(x -> Resample.pixelShuffle(x, p)));
  }

  private static Sequential mapper(long cIn, long c) {
    return new Sequential()
        .add(new Conv2d(cIn, c * 4, 1))
        .add(Ops::gelu)
        .add(new Conv2d(c * 4, c, 1))
        .add(LayerNorm.channels2d(c, false, 1e-6f));
  }

  public StageBConfig config() {
    return config;
  }

  /** {@code gen_c_embeddings}: clip_mapper -> (B, S*c_clip_seq, c_cond) -> LayerNorm. */
  public NDArray conditioning(NDArray clip) {
    NDArray c = clip.getShape().dimension() == 2 ? clip.expandDims(1) : clip;
    long b = c.getShape().get(0);
    NDArray mapped =
        clipMapper
            .forward(c)
            .reshape(b, c.getShape().get(1) * config.cClipSeq(), config.unet().cCond());
    NDArray out = Norms.layerNorm(mapped, 1, null, null, 1e-6f);
    Trace.record("clip_norm", out);
    Trace.recordKey("trace.clip", out);
    return out;
  }

  /**
   * Forward pass; {@code pixels} may be null (official default zeros(B,3,8,8)); {@code tConds} maps
   * t-condition names (sca) to (B) tensors, absent = zeros.
   */
  public NDArray forward(
      NDArray x,
      NDArray r,
      NDArray effnet,
      NDArray clip,
      NDArray pixels,
      Map<String, NDArray> tConds) {
    List<NDArray> inputs = new ArrayList<>(List.of(x, r, effnet, clip));
    if (pixels != null) {
      inputs.add(pixels);
    }
    if (tConds != null) {
      inputs.addAll(tConds.values());
    }
    return Scope.run(
        () -> body(x, r, effnet, clip, pixels, tConds), inputs.toArray(NDArray[]::new));
  }

  private NDArray body(
      NDArray x,
      NDArray r,
      NDArray effnet,
      NDArray clip,
      NDArray pixels,
      Map<String, NDArray> tConds) {
    // Inputs follow the weights' dtype (fp16 when converted); r is embedded in float32 and the
    // embedding cast; the result is returned in x's dtype.
    DataType type = dataType();
    DataType outType = x.getDataType();
    x = cast(x, type);
    effnet = cast(effnet, type);
    clip = cast(clip, type);
    pixels = cast(pixels, type);
    NDArray px =
        pixels != null
            ? pixels
            : x.getManager()
                .zeros(new Shape(x.getShape().get(0), config.cPixels(), 8, 8), x.getDataType());
    List<NDArray> conds = new ArrayList<>();
    for (String name : config.tConds()) {
      conds.add(tConds == null ? null : tConds.get(name));
    }
    NDArray rEmbed = cast(REmbedding.embedAll(r, conds, config.unet().cR()), type);
    Trace.recordKey("trace.r_embed", rEmbed);
    NDArray c = conditioning(clip);
    NDArray h = embedding.forward(x);
    Trace.record("embedding", h);
    long hh = h.getShape().get(2);
    long ww = h.getShape().get(3);
    NDArray eff = effnetMapper.forward(Resample.bilinearAc(effnet, hh, ww));
    Trace.record("effnet_mapper", eff);
    NDArray pix = pixelsMapper.forward(px);
    Trace.record("pixels_mapper", pix);
    h = h.add(eff).add(Resample.bilinearAc(pix, hh, ww));
    NDArray out = runLevels(h, rEmbed, c, null);
    NDArray y = clf.forward(out);
    Trace.record("clf", y);
    return cast(y, outType);
  }
}
