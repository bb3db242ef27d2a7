package io.cascadefarm.cascade.pipeline.control.face;

import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.pipeline.control.Face;
import io.cascadefarm.cascade.pipeline.control.FaceAnalyzer;
import io.cascadefarm.cascade.pipeline.control.FaceMap;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The official identity front end on user-supplied InsightFace buffalo_l files: SCRFD {@code
 * det_10g.onnx} at 320x320 (9 outputs) and ArcFace {@code w600k_r50.onnx} (112x112 aligned crop ->
 * embedding, L2-normalised), at most {@link FaceMap#MAX_FACES} faces. Runs on DJL's ONNX Runtime
 * engine (CPU). Checked only with tiny generated ONNX graphs, not with the real buffalo_l files.
 */
public final class OnnxFaceAnalyzer implements FaceAnalyzer {
  /** Detector input side used by the official {@code FaceDetector}. */
  public static final int DETECTOR_SIZE = 320;

  private final OnnxNet detector;
  private final OnnxNet recognizer;
  private final int dim;

  private OnnxFaceAnalyzer(OnnxNet detector, OnnxNet recognizer) {
    this.detector = detector;
    this.recognizer = recognizer;
    this.dim = recognizer.run(new float[3 * 112 * 112], new Shape(1, 3, 112, 112))[0].length;
  }

  /** Opens {@code det_10g.onnx} and {@code w600k_r50.onnx} (or files with the same interface). */
  public static OnnxFaceAnalyzer open(Path detectorFile, Path recognizerFile) {
    OnnxNet det = OnnxNet.open(detectorFile);
    try {
      return new OnnxFaceAnalyzer(det, OnnxNet.open(recognizerFile));
    } catch (RuntimeException e) {
      det.close();
      throw e;
    }
  }

  @Override
  public List<Face> analyze(BufferedImage image) {
    DetectorInput in = DetectorInput.of(image, DETECTOR_SIZE);
    float[][] outs = detector.run(in.chw(), new Shape(1, 3, DETECTOR_SIZE, DETECTOR_SIZE));
    if (outs.length != 9) {
      throw new IllegalArgumentException(
          "identity: the face detector must have 9 outputs (SCRFD with landmarks), has "
              + outs.length);
    }
    List<Detection> found =
        ScrfdDecoder.decode(
            outs,
            DETECTOR_SIZE,
            in.scale(),
            image.getWidth(),
            image.getHeight(),
            FaceMap.MAX_FACES);
    List<Face> faces = new ArrayList<>();
    for (Detection d : found) {
      float[] e = recognizer.run(FaceAlign.crop(image, d.kps()), new Shape(1, 3, 112, 112))[0];
      faces.add(new Face(d.x1(), d.y1(), d.x2(), d.y2(), normalised(e)));
    }
    return faces;
  }

  private static float[] normalised(float[] e) {
    double n = 0;
    for (float v : e) {
      n += v * v;
    }
    float inv = n == 0 ? 0 : (float) (1 / Math.sqrt(n));
    float[] out = new float[e.length];
    for (int i = 0; i < e.length; i++) {
      out[i] = e[i] * inv;
    }
    return out;
  }

  @Override
  public int embeddingSize() {
    return dim;
  }

  @Override
  public void close() {
    detector.close();
    recognizer.close();
  }
}
