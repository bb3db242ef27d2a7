package io.cascadefarm.cascade.net.stagec;

import io.cascadefarm.cascade.tools.parity.ParityTestSupport;
import org.junit.jupiter.api.Test;

class StageCParityTest extends ParityTestSupport {

  @Test
  void stageCFixturePassesAllCallsIncludingCfgCombine() throws Exception {
    assertFixturePasses("stage_c");
  }

  @Test
  void traceOfTheFirstCallMatches() throws Exception {
    assertTracePasses("stage_c", 1e-4);
  }
}
