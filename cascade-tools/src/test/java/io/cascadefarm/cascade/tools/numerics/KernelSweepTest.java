package io.cascadefarm.cascade.tools.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.cascadefarm.cascade.nn.OneDnnIsa;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every native op family on a wide seeded sweep of shapes against its float64 reference, in this
 * JVM's default configuration (the farm's oneDNN cap; the test JVM's environment sets none). On an
 * affected AMD EPYC host without the cap, the conv2d and depthwise lines fail here.
 */
class KernelSweepTest {
  @Test
  void theFarmCapsOneDnnUnlessTheEnvironmentChose() {
    OneDnnIsa.Setting s = OneDnnIsa.configure();
    if (System.getenv(OneDnnIsa.ENV) == null && System.getenv(OneDnnIsa.LEGACY_ENV) == null) {
      assertEquals(new OneDnnIsa.Setting(OneDnnIsa.FARM_DEFAULT, "farm default"), s);
    } else {
      assertTrue(s.source().contains("environment"), s.describe());
    }
  }

  @Test
  void theConvolutionsKnownToBreakAreRight() {
    List<OpProbe> known =
        List.of(
            new ConvProbe(2, 24, 5, 7, 24, 3, 1, 1, 1, 7),
            new ConvProbe(2, 12, 10, 14, 12, 3, 1, 1, 1, 8));
    assertAllPass(NumericsSelfCheck.probes(Kernels.port(), known).run(Device.cpu()));
  }

  @Test
  void aWideSweepOfEveryOpFamilyAgreesWithTheReference() {
    SelfCheckReport r =
        NumericsSelfCheck.probes(Kernels.port(), ProbeSets.sweep(20261207L, 150)).run(Device.cpu());
    r.lines().forEach(System.out::println);
    assertEquals(OpFamily.values().length, r.lines().size(), "one line per op family");
    assertAllPass(r);
  }

  @Test
  void theSweepCatchesAMiscomputingConvolution() {
    List<OpProbe> shapes = ProbeSets.selfCheck();
    SelfCheckReport r =
        NumericsSelfCheck.probes(new MiscomputingKernels(), shapes).run(Device.cpu());
    assertTrue(!r.passed(), r.describe());
    assertEquals(1, r.failures().size(), r.describe());
    assertTrue(r.failures().get(0).startsWith("conv2d 2x24x5x7->24 k3"), r.failures().get(0));
  }

  private static void assertAllPass(SelfCheckReport r) {
    assertTrue(r.passed(), () -> String.join("\n", r.failures()) + "\n" + SelfCheckReport.REMEDY);
  }
}
