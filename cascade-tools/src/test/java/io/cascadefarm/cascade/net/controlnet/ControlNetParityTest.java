package io.cascadefarm.cascade.net.controlnet;

import io.cascadefarm.cascade.net.stagea.KeyManifest;
import io.cascadefarm.cascade.nn.Trace;
import io.cascadefarm.cascade.tools.parity.ParityTestSupport;
import org.junit.jupiter.api.Test;

class ControlNetParityTest extends ParityTestSupport {
  @Test
  void simpleBottleneckMatches() throws Exception {
    assertFixturePasses("controlnet_simple");
  }

  @Test
  void officialCannyWithUnpaddedStemMatches() throws Exception {
    assertFixturePasses("controlnet_canny_full");
  }

  @Test
  void officialSuperResolutionLargeBottleneckMatches() throws Exception {
    try (Trace trace = Trace.start()) {
      assertFixturePasses("controlnet_sr_full");
      assertTraceWithin("controlnet_sr_full", trace, 1e-4);
    }
  }

  @Test
  void keyListingsEqualTheOfficialManifests() throws Exception {
    KeyManifest.assertCatalogMatches("controlnet", "canny", "controlnet_canny.keys.tsv");
    KeyManifest.assertCatalogMatches("controlnet", "inpainting", "controlnet_inpainting.keys.tsv");
    KeyManifest.assertCatalogMatches("controlnet", "super_resolution", "controlnet_sr.keys.tsv");
    KeyManifest.assertCatalogMatches("controlnet", "identity", "controlnet_identity.keys.tsv");
    KeyManifest.assertCatalogMatches("controlnet", null, "controlnet_canny.keys.tsv");
  }
}
