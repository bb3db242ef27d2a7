package io.cascadefarm.cascade.net.effnet;

import io.cascadefarm.cascade.net.stagea.KeyManifest;
import io.cascadefarm.cascade.nn.Trace;
import io.cascadefarm.cascade.tools.parity.ParityTestSupport;
import org.junit.jupiter.api.Test;

class EffnetParityTest extends ParityTestSupport {
  @Test
  void tinyBackboneBuiltFromTheFixtureDescriptionMatches() throws Exception {
    try (Trace trace = Trace.start()) {
      assertFixturePasses("effnet_tiny");
      assertTraceWithin("effnet_tiny", trace, 1e-4);
    }
  }

  @Test
  void officialArchitectureWithHashinitWeightsMatches() throws Exception {
    try (Trace trace = Trace.start()) {
      assertFixturePasses("effnet_full");
      assertTraceWithin("effnet_full", trace, 5e-3);
    }
  }

  @Test
  void keyListingEqualsTheOfficialManifest() throws Exception {
    KeyManifest.assertCatalogMatches("effnet", null, "effnet_encoder.keys.tsv");
  }
}
