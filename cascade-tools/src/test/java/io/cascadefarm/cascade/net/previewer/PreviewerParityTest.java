package io.cascadefarm.cascade.net.previewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.net.stagea.KeyManifest;
import io.cascadefarm.cascade.net.stagea.TinyWeights;
import io.cascadefarm.cascade.nn.Trace;
import io.cascadefarm.cascade.tools.parity.ParityTestSupport;
import org.junit.jupiter.api.Test;

class PreviewerParityTest extends ParityTestSupport {
  @Test
  void forwardMatchesTheReferenceAndItsTrace() throws Exception {
    try (Trace trace = Trace.start()) {
      assertFixturePasses("previewer");
      assertTraceWithin("previewer", trace, 1e-4);
    }
  }

  @Test
  void keyListingEqualsTheOfficialManifest() throws Exception {
    KeyManifest.assertCatalogMatches("previewer", null, "previewer.keys.tsv");
  }

  @Test
  void tinyPresetUpscalesEightTimes() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Previewer net = TinyWeights.bind(new Previewer(PreviewerConfig.tiny()), "previewer_tiny", m);
      NDArray out = net.preview(m.randomNormal(new Shape(2, 16, 3, 5)));
      assertArrayEquals(new long[] {2, 3, 24, 40}, out.getShape().getShape());
    }
  }
}
