package io.cascadefarm.cascade.tools.numerics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class NumericsSelfCheckTest {
  @Test
  void passesOnThisHostWithTheShippedDefaults() {
    SelfCheckReport r = NumericsSelfCheck.standard().run(Device.cpu());
    System.out.println(r.describe());
    assertTrue(r.passed(), r.describe());
    for (OpFamily f : OpFamily.values()) {
      assertTrue(
          r.lines().stream().anyMatch(l -> l.trim().startsWith(f.label() + " ")),
          "a line for " + f.label() + ":\n" + r.describe());
    }
    for (String net :
        new String[] {
          "stage_c", "stage_c_lora", "stage_b", "stage_a", "previewer", "effnet", "controlnet"
        }) {
      assertTrue(
          r.lines().stream().anyMatch(l -> l.trim().startsWith("net " + net + " ")),
          net + ":\n" + r.describe());
    }
    assertTrue(r.summary().contains("ONEDNN_MAX_CPU_ISA="), r.summary());
  }

  @Test
  void aMiscomputingKernelFailsItNamingTheOpAndTheRemedy() {
    SelfCheckReport r =
        NumericsSelfCheck.standard().withKernels(new MiscomputingKernels()).run(Device.cpu());
    assertFalse(r.passed());
    String text = r.describe();
    assertTrue(text.contains("conv2d           FAIL"), text);
    assertTrue(r.summary().contains("FAIL") && r.summary().contains("2x24x5x7"), r.summary());
    assertTrue(text.contains("ONEDNN_MAX_CPU_ISA=SSE41"), text);
    assertTrue(text.contains("depthwise conv   ok"), "only the broken family fails:\n" + text);
  }
}
