package io.cascadefarm.cascade.net.stagea;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.cascadefarm.cascade.nn.BatchNorm2d;
import io.cascadefarm.cascade.nn.Conv2d;
import io.cascadefarm.cascade.nn.ConvTranspose2d;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Resample;
import io.cascadefarm.cascade.nn.ScopedSteps;
import io.cascadefarm.cascade.nn.Sequential;
import io.cascadefarm.cascade.nn.Trace;

/**
 * The official {@code StageA} VQGAN. {@link #encode} maps RGB in [0,1] (B,3,H,W) to latents
 * (B,c_latent,H/4,W/4) divided by the scale factor; {@link #decode} multiplies by the scale factor
 * and maps back to RGB (B,3,4h,4w). Keys equal the official {@code state_dict}.
 */
public final class StageA extends Module {
  private final StageAConfig config;
  private final Sequential inBlock;
  private final Sequential downBlocks;
  private final VectorQuantizer vquantizer;
  private final Sequential upBlocks;
  private final Sequential outBlock;

  public StageA(StageAConfig config) {
    this.config = config;
    int[] c = config.levelChannels();
    int levels = config.levels();
    inBlock =
        child(
            "in_block",
            new Sequential().add(x -> Resample.pixelUnshuffle(x, 2)).add(new Conv2d(12, c[0], 1)));
    downBlocks = child("down_blocks", new Sequential());
    for (int i = 0; i < levels; i++) {
      if (i > 0) {
        downBlocks.add(new Conv2d(c[i - 1], c[i], 4, 2, 1, 1, true));
      }
      downBlocks.add(new StageAResBlock(c[i], 4L * c[i]));
    }
    downBlocks.add(
        new Sequential()
            .add(new Conv2d(c[levels - 1], config.cLatent(), 1, 1, 0, 1, false))
            .add(new BatchNorm2d(config.cLatent(), 1e-5f)));
    vquantizer = child("vquantizer", new VectorQuantizer(config.cLatent(), config.codebookSize()));
    upBlocks = child("up_blocks", new Sequential());
    upBlocks.add(new Sequential().add(new Conv2d(config.cLatent(), c[levels - 1], 1)));
    for (int i = 0; i < levels; i++) {
      int ci = c[levels - 1 - i];
      int blocks = i == 0 ? config.bottleneckBlocks() : 1;
      for (int j = 0; j < blocks; j++) {
        upBlocks.add(new StageAResBlock(ci, 4L * ci));
      }
      if (i < levels - 1) {
        upBlocks.add(new ConvTranspose2d(ci, c[levels - 2 - i], 4, 2, 1, 0, true));
      }
    }
    outBlock =
        child(
            "out_block",
            new Sequential().add(new Conv2d(c[0], 12, 1)).add(x -> Resample.pixelShuffle(x, 2)));
  }

  public StageAConfig config() {
    return config;
  }

  /** Encodes RGB [0,1] without quantization (the only path used at inference). */
  public NDArray encode(NDArray rgb) {
    return encode(rgb, false).latent();
  }

  /**
   * {@code encode(x, quantize)}: the latent divided by the scale factor and, when {@code quantize},
   * the quantized latent (divided likewise), the codebook indices and the VQ loss.
   */
  public StageAEncoding encode(NDArray rgb, boolean quantize) {
    NDArray h = inBlock.forward(rgb);
    Trace.record("in_block", h);
    NDArray z = ScopedSteps.run(downBlocks, h, Trace.active() ? "down_blocks" : null);
    h.close();
    float sf = config.scaleFactor();
    NDArray latent = z.div(sf);
    if (!quantize) {
      z.close();
      return new StageAEncoding(latent, null, null, null);
    }
    Quantization q = vquantizer.quantize(z);
    return new StageAEncoding(latent, q.quantized().div(sf), q.indices(), q.loss());
  }

  /** {@code decode(x)}: multiplies by the scale factor, then decodes to RGB (nominally [0,1]). */
  public NDArray decode(NDArray latent) {
    NDArray scaled = latent.mul(config.scaleFactor());
    NDArray h = ScopedSteps.run(upBlocks, scaled, Trace.active() ? "up_blocks" : null);
    scaled.close();
    NDArray out = ScopedSteps.step(outBlock, h, null);
    Trace.record("out_block", out);
    return out;
  }

  /** {@code forward(x, quantize)}: reconstruction and (when quantizing) the VQ loss, else null. */
  public NDList forward(NDArray rgb, boolean quantize) {
    StageAEncoding e = encode(rgb, quantize);
    NDArray image = decode(e.decoderInput());
    return quantize ? new NDList(image, e.loss()) : new NDList(image);
  }
}
