package io.cascadefarm.cascade.pipeline.control;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.net.saliency.MicroResNet;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.pipeline.control.face.OnnxFaceAnalyzer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Optional networks the ControlNet filters use, one instance per resident model ({@link #of}),
 * weights in a sub-manager of the model's manager (freed with the model): the saliency model {@code
 * controlnet/saliency.safetensors} (a safetensors conversion of the official {@code
 * modules/cnet_modules/inpainting/saliency_model.pt}, strict keys), used only when that file exists
 * (also for {@code tiny}: tests write random weights there).
 */
public final class ControlResources {
  /** File stem of the saliency model in the {@code controlnet/} directory. */
  public static final String SALIENCY = "saliency";

  /** SCRFD face detector file name (InsightFace buffalo_l) in {@code controlnet/face/}. */
  public static final String DETECTOR_FILE = "det_10g.onnx";

  /** ArcFace recognizer file name (InsightFace buffalo_l) in {@code controlnet/face/}. */
  public static final String RECOGNIZER_FILE = "w600k_r50.onnx";

  private static final Map<CascadeModels, ControlResources> BY_MODEL = new WeakHashMap<>();

  private final NDManager manager;
  private final Map<Path, MicroResNet> saliency = new ConcurrentHashMap<>();
  private volatile FaceAnalyzer faces;

  private ControlResources(NDManager manager) {
    this.manager = manager;
  }

  /** The resources of a resident model (created on first use). */
  public static synchronized ControlResources of(CascadeModels models) {
    return BY_MODEL.computeIfAbsent(models, m -> new ControlResources(m.manager().newSubManager()));
  }

  /**
   * Sets the face detector + recognizer the identity filter uses for this model. Without one,
   * identity requests fail naming what is missing.
   */
  public void useFaceAnalyzer(FaceAnalyzer analyzer) {
    faces = analyzer;
  }

  /**
   * The configured analyzer, else the InsightFace ONNX files {@code controlnet/face/det_10g.onnx}
   * and {@code controlnet/face/w600k_r50.onnx} when both exist (opened once).
   */
  synchronized FaceAnalyzer faceAnalyzer(CascadeModels models) {
    if (faces != null) {
      return faces;
    }
    Path dir = models.controlNets().file(SALIENCY).getParent().resolve("face");
    Path det = dir.resolve(DETECTOR_FILE);
    Path rec = dir.resolve(RECOGNIZER_FILE);
    if (!Files.isRegularFile(det) || !Files.isRegularFile(rec)) {
      throw new UnsupportedOperationException(
          "control identity: the face models are not installed: put InsightFace buffalo_l "
              + DETECTOR_FILE
              + " and "
              + RECOGNIZER_FILE
              + " in "
              + dir);
    }
    faces = OnnxFaceAnalyzer.open(det, rec);
    return faces;
  }

  /** The saliency model of {@code models}, or null when its file is not installed. */
  MicroResNet saliency(CascadeModels models) {
    Path file = models.controlNets().file(SALIENCY);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    return saliency.computeIfAbsent(file, this::load);
  }

  private MicroResNet load(Path file) {
    MicroResNet net = new MicroResNet();
    try (SafetensorsWeights src = SafetensorsWeights.open(file)) {
      WeightBinder.bind(net, src, manager);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load saliency model " + file, e);
    }
    return net;
  }
}
