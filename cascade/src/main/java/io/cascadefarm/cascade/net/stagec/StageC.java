package io.cascadefarm.cascade.net.stagec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.cascadefarm.cascade.net.common.CascadeUNet;
import io.cascadefarm.cascade.net.common.CnetInjection;
import io.cascadefarm.cascade.net.common.REmbedding;
import io.cascadefarm.cascade.nn.Conv2d;
import io.cascadefarm.cascade.nn.Layer;
import io.cascadefarm.cascade.nn.LayerNorm;
import io.cascadefarm.cascade.nn.Linear;
import io.cascadefarm.cascade.nn.Norms;
import io.cascadefarm.cascade.nn.Resample;
import io.cascadefarm.cascade.nn.Scope;
import io.cascadefarm.cascade.nn.Sequential;
import io.cascadefarm.cascade.nn.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Stage C prior ({@code modules/stage_c.py StageC}) with official state_dict keys. */
public class StageC extends CascadeUNet {
  private final StageCConfig config;
  private final Linear clipTxtMapper;
  private final Linear clipTxtPooledMapper;
  private final Linear clipImgMapper;
  private final Sequential embedding;
  private final Sequential clf;

  public StageC(StageCConfig config) {
    this.config = config;
    int cCond = config.unet().cCond();
    int[] hidden = config.unet().cHidden();
    int p = config.patchSize();
    clipTxtMapper = child("clip_txt_mapper", new Linear(config.cClipText(), cCond));
    clipTxtPooledMapper =
        child(
            "clip_txt_pooled_mapper",
            new Linear(config.cClipTextPooled(), (long) cCond * config.cClipSeq()));
    clipImgMapper =
        child("clip_img_mapper", new Linear(config.cClipImg(), (long) cCond * config.cClipSeq()));
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
                .add(
                    new UpDownBlock2d(
                        hidden[i - 1], hidden[i], false, config.switchLevel()[i - 1])),
        i ->
            new Sequential()
                .add(LayerNorm.channels2d(hidden[i], false, 1e-6f))
                .add(
                    new UpDownBlock2d(
                        hidden[i], hidden[i - 1], true, config.switchLevel()[i - 1])));
    clf =
        child(
            "clf",
            new Sequential()
                .add(LayerNorm.channels2d(hidden[0], false, 1e-6f))
                .add(new Conv2d(hidden[0], (long) config.cOut() * p * p, 1))
                .add(x -> Resample.pixelShuffle(x, p)));
  }

  public StageCConfig config() {
    return config;
  }

  /** {@code gen_c_embeddings}: [text tokens, pooled tokens, image tokens] -> LayerNorm. */
  public NDArray conditioning(NDArray clipText, NDArray clipTextPooled, NDArray clipImg) {
    NDArray pooled =
        clipTextPooled.getShape().dimension() == 2 ? clipTextPooled.expandDims(1) : clipTextPooled;
    NDArray img = clipImg.getShape().dimension() == 2 ? clipImg.expandDims(1) : clipImg;
    long b = pooled.getShape().get(0);
    int cCond = config.unet().cCond();
    NDArray txt = clipTxtMapper.forward(clipText);
    NDArray pool =
        clipTxtPooledMapper
            .forward(pooled)
            .reshape(b, pooled.getShape().get(1) * config.cClipSeq(), cCond);
    NDArray im =
        clipImgMapper
            .forward(img)
            .reshape(img.getShape().get(0), img.getShape().get(1) * config.cClipSeq(), cCond);
    NDArray clip = Norms.layerNorm(txt.concat(pool, 1).concat(im, 1), 1, null, null, 1e-6f);
    Trace.record("clip_norm", clip);
    Trace.recordKey("trace.clip", clip);
    return clip;
  }

  /**
   * Forward pass. {@code tConds} maps t-condition names (sca, crp) to (B) tensors (absent = zeros);
   * {@code cnet} may be null or hold per-ResBlock-invocation tensors (null entries allowed).
   */
  public NDArray forward(
      NDArray x,
      NDArray r,
      NDArray clipText,
      NDArray clipTextPooled,
      NDArray clipImg,
      Map<String, NDArray> tConds,
      List<NDArray> cnet) {
    List<NDArray> inputs = new ArrayList<>(List.of(x, r, clipText, clipTextPooled, clipImg));
    if (cnet != null) {
      cnet.stream().filter(t -> t != null).forEach(inputs::add);
    }
    if (tConds != null) {
      inputs.addAll(tConds.values());
    }
    return Scope.run(
        () -> body(x, r, clipText, clipTextPooled, clipImg, tConds, cnet),
        inputs.toArray(NDArray[]::new));
  }

  private NDArray body(
      NDArray x,
      NDArray r,
      NDArray clipText,
      NDArray clipTextPooled,
      NDArray clipImg,
      Map<String, NDArray> tConds,
      List<NDArray> cnet) {
    // Inputs follow the weights' dtype (fp16 when converted); r is embedded in float32 and the
    // embedding cast; the result is returned in x's dtype.
    DataType type = dataType();
    DataType outType = x.getDataType();
    x = cast(x, type);
    clipText = cast(clipText, type);
    clipTextPooled = cast(clipTextPooled, type);
    clipImg = cast(clipImg, type);
    if (cnet != null && type != DataType.FLOAT32) {
      List<NDArray> typed = new ArrayList<>(cnet.size());
      for (NDArray c : cnet) {
        typed.add(cast(c, type));
      }
      cnet = typed;
    }
    List<NDArray> conds = new ArrayList<>();
    for (String name : config.tConds()) {
      conds.add(tConds == null ? null : tConds.get(name));
    }
    NDArray rEmbed = cast(REmbedding.embedAll(r, conds, config.unet().cR()), type);
    Trace.recordKey("trace.r_embed", rEmbed);
    NDArray clip = conditioning(clipText, clipTextPooled, clipImg);
    NDArray h = embedding.forward(x);
    Trace.record("embedding", h);
    NDArray out = runLevels(h, rEmbed, clip, cnet == null ? null : new CnetInjection(cnet));
    NDArray y = ((Layer) clf).forward(out);
    Trace.record("clf", y);
    return cast(y, outType);
  }
}
