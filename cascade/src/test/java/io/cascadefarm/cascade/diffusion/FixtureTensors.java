package io.cascadefarm.cascade.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.io.SafetensorsReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Reads tensors of a parity fixture io file from the test resources. */
final class FixtureTensors implements AutoCloseable {
  static final Path DIR = Path.of("src/test/resources/parity");

  private final SafetensorsReader reader;

  FixtureTensors(String fixture) {
    try {
      reader = SafetensorsReader.open(DIR.resolve(fixture + ".io.safetensors"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  float[] floats(String key) {
    return reader.readFloats(key);
  }

  NDArray load(NDManager manager, String key) {
    return reader.load(manager, key);
  }

  /** max|actual - expected| / max|expected|. */
  static double relErr(float[] actual, float[] expected) {
    if (actual.length != expected.length) {
      throw new AssertionError("length " + actual.length + " vs " + expected.length);
    }
    double maxDiff = 0;
    double maxRef = 0;
    for (int i = 0; i < actual.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs((double) actual[i] - expected[i]));
      maxRef = Math.max(maxRef, Math.abs(expected[i]));
    }
    return maxDiff / maxRef;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
