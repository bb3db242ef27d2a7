package io.cascadefarm.cascade.pipeline.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.diffusion.ScheduleStep;
import io.cascadefarm.cascade.diffusion.SeededNoise;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.net.controlnet.ControlFilters;
import io.cascadefarm.cascade.net.controlnet.ControlNet;
import io.cascadefarm.cascade.net.saliency.MicroResNet;
import io.cascadefarm.cascade.nn.Resample;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import io.cascadefarm.cascade.pipeline.ImageTensors;
import io.cascadefarm.cascade.pipeline.LatentSizes;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The ControlNet input of each type (official modules/controlnet.py filters,
 * inference/controlnet.ipynb settings). Images are fitted to the output size w x h (scale to cover,
 * centre crop) except for super-resolution, whose input is the image at half the output size.
 */
final class ControlInputs {
  /** The ControlNet input and, for inpaint/outpaint, the Stage C start latent. */
  record Built(NDArray input, NDArray xInit) {}

  private ControlInputs() {}

  static Built build(
      ControlType type,
      CascadeModels models,
      ControlResources resources,
      ControlNet net,
      List<GenerationRequest> rows,
      long[] seeds,
      NDManager manager) {
    int w = rows.get(0).width();
    int h = rows.get(0).height();
    List<BufferedImage> images = rows.stream().map(GenerationRequest::image).toList();
    return switch (type) {
      case CANNY -> {
        NDArray rgb = ControlImages.rgb(manager, images, w, h);
        NDArray edges = ControlFilters.canny(rgb);
        rgb.close();
        yield new Built(edges, null);
      }
      case INPAINT, OUTPAINT -> paint(type, models, resources, rows, seeds, manager);
      case SUPER_RESOLUTION -> new Built(superResolution(models, images, w, h, manager), null);
      case IDENTITY ->
          new Built(IdentityInputs.build(net, resources.faceAnalyzer(models), rows, manager), null);
    };
  }

  private static NDArray superResolution(
      CascadeModels models, List<BufferedImage> images, int w, int h, NDManager manager) {
    NDArray rgb = ControlImages.rgb(manager, images, w / 2, h / 2);
    NDArray latents = models.effnet().encode(rgb);
    Shape s = latents.getShape();
    NDArray up =
        Resample.interpolate(latents, 2 * s.get(2), 2 * s.get(3), Resample.Mode.NEAREST, false);
    rgb.close();
    latents.close();
    return up;
  }

  private static Built paint(
      ControlType type,
      CascadeModels models,
      ControlResources resources,
      List<GenerationRequest> rows,
      long[] seeds,
      NDManager manager) {
    int w = rows.get(0).width();
    int h = rows.get(0).height();
    List<BufferedImage> canvases = new ArrayList<>();
    List<float[]> masks = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      GenerationRequest r = rows.get(i);
      BufferedImage canvas = r.image();
      float[] mask = null;
      if (type == ControlType.OUTPAINT && r.mask() == null) {
        OutpaintCanvas placed = OutpaintCanvas.place(r.image(), w, h);
        canvas = placed.image();
        mask = placed.mask();
      } else if (r.mask() != null) {
        mask = ControlImages.maskPlane(r.mask(), w, h);
      } else {
        mask = saliencyMask(models, resources, canvas, w, h, manager, i);
      }
      canvases.add(canvas);
      masks.add(mask);
    }
    NDArray rgb = ControlImages.rgb(manager, canvases, w, h);
    NDArray mask = ControlImages.masks(manager, masks, w, h);
    NDArray input = ControlFilters.inpaint(rgb, mask);
    mask.close();
    NDArray xInit = diffusedLatents(models, canvases, w, h, seeds, manager);
    rgb.close();
    return new Built(input, xInit);
  }

  private static float[] saliencyMask(
      CascadeModels models,
      ControlResources resources,
      BufferedImage image,
      int w,
      int h,
      NDManager manager,
      int row) {
    MicroResNet net = resources.saliency(models);
    if (net == null) {
      throw new IllegalArgumentException(
          "mask: required for inpaint (row "
              + row
              + ") unless the saliency model of the official automatic mask is installed at "
              + models.controlNets().file(ControlResources.SALIENCY)
              + " (farm models pull --controlnets)");
    }
    BufferedImage fitted = ImageTensors.coverCrop(image, w, h);
    return SaliencyMasks.mask(net, fitted, w, h, false, manager);
  }

  /**
   * {@code x_init = diffuse(effnet(image), t=1)} (official inference/image_to_image.ipynb): effnet
   * latents at the Stage C latent size, {@code a*x0 + b*eps} at t = 1 with shift 1, eps from each
   * row's seed.
   */
  private static NDArray diffusedLatents(
      CascadeModels models,
      List<BufferedImage> images,
      int w,
      int h,
      long[] seeds,
      NDManager manager) {
    int stride = models.effnet().stride();
    int lh = LatentSizes.stageC(h) * stride;
    int lw = LatentSizes.stageC(w) * stride;
    NDArray rgb = ControlImages.rgb(manager, images, lw, lh);
    NDArray x0 = models.effnet().encode(rgb);
    rgb.close();
    NDArray eps = new SeededNoise(seeds, "inpaint").initial(manager, x0.getShape());
    ScheduleStep at = ScheduleStep.at(1f, 1.0);
    return x0.mul(at.a()).add(eps.mul(at.b()));
  }
}
