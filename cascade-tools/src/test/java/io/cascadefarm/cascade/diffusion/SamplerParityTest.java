package io.cascadefarm.cascade.diffusion;

import io.cascadefarm.cascade.tools.parity.ParityTestSupport;
import org.junit.jupiter.api.Test;

/** The sampler fixtures through the registered adapter, every output within 1e-3. */
class SamplerParityTest extends ParityTestSupport {

  @Test
  void samplerC() throws Exception {
    assertFixturePasses("sampler_c");
  }

  @Test
  void samplerB() throws Exception {
    assertFixturePasses("sampler_b");
  }
}
