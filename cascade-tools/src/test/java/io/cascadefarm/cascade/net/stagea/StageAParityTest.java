package io.cascadefarm.cascade.net.stagea;

import io.cascadefarm.cascade.tools.parity.ParityTestSupport;
import org.junit.jupiter.api.Test;

class StageAParityTest extends ParityTestSupport {
  @Test
  void encodeQuantizeDecodeAndForwardMatchTheReference() throws Exception {
    assertFixturePasses("stage_a");
  }

  @Test
  void keyListingEqualsTheOfficialManifest() throws Exception {
    KeyManifest.assertCatalogMatches("stage_a", null, "stage_a.keys.tsv");
  }
}
