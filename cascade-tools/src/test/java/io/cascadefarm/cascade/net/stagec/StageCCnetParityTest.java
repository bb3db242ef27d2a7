package io.cascadefarm.cascade.net.stagec;

import io.cascadefarm.cascade.tools.parity.ParityTestSupport;
import org.junit.jupiter.api.Test;

class StageCCnetParityTest extends ParityTestSupport {

  @Test
  void controlNetInjectionMatchesWithAndWithoutCnet() throws Exception {
    assertFixturePasses("stage_c_cnet");
  }
}
