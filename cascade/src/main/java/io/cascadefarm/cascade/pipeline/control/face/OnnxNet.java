package io.cascadefarm.cascade.pipeline.control.face;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One ONNX file on DJL's ONNX Runtime engine: float input in, flattened float outputs out. */
final class OnnxNet implements AutoCloseable {
  static final String ENGINE = "OnnxRuntime";
  private final Model model;
  private final Predictor<NDList, NDList> predictor;

  private OnnxNet(Model model) {
    this.model = model;
    this.predictor = model.newPredictor(new NoopTranslator());
  }

  static OnnxNet open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("ONNX model not found: " + file);
    }
    Model model = Model.newInstance(file.getFileName().toString(), ENGINE);
    try {
      model.load(file);
      return new OnnxNet(model);
    } catch (IOException e) {
      model.close();
      throw new UncheckedIOException("cannot read ONNX model " + file, e);
    } catch (MalformedModelException | RuntimeException e) {
      model.close();
      throw new IllegalArgumentException("not a loadable ONNX model: " + file + ": " + e, e);
    }
  }

  /** Runs one input of {@code shape}; every output flattened, in the graph's output order. */
  synchronized float[][] run(float[] input, Shape shape) {
    try (NDManager m = model.getNDManager().newSubManager()) {
      NDArray x = m.create(input, shape);
      NDList out = predictor.predict(new NDList(x));
      float[][] result = new float[out.size()][];
      for (int i = 0; i < out.size(); i++) {
        result[i] = out.get(i).toFloatArray();
      }
      out.close();
      return result;
    } catch (TranslateException e) {
      throw new IllegalStateException("ONNX inference failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
  }
}
