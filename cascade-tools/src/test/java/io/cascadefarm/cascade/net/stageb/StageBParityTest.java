package io.cascadefarm.cascade.net.stageb;

import io.cascadefarm.cascade.tools.parity.ParityTestSupport;
import org.junit.jupiter.api.Test;

class StageBParityTest extends ParityTestSupport {

  @Test
  void stageBFixturePassesCfgPixelsAndOddSizes() throws Exception {
    assertFixturePasses("stage_b");
  }

  @Test
  void traceOfTheFirstCallMatches() throws Exception {
    assertTracePasses("stage_b", 1e-4);
  }
}
