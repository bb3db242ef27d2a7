package io.cascadefarm.cascade.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScheduleTest {

  @Test
  void linspaceMatchesTorchFloat32() {
    assertArrayEquals(
        new float[] {1.0f, 0.6666666269302368f, 0.3333333432674408f, 0f},
        Timesteps.linspace(1f, 0f, 4));
    assertArrayEquals(new float[] {1f, 0.75f, 0.5f, 0.25f, 0f}, Timesteps.linspace(1f, 0f, 5));
  }

  @Test
  void stageCTwentyStepsShiftTwoMatchesSpecTable() {
    SamplingSchedule s = SamplingSchedule.of(SamplerSettings.fromNoise(20, 4, 2));
    // official gdf/schedules.py CosineSchedule at rows 0, 5, 10, 19 (float64 reference, 6 digits)
    assertPoint(s.point(0), -9.21024, 0.010000, 0.999950, 0.993583);
    assertPoint(s.point(5), -3.16655, 0.201108, 0.979569, 0.870071);
    assertPoint(s.point(10), -1.41092, 0.442819, 0.896611, 0.705645);
    assertPoint(s.point(19), 3.43490, 0.984265, 0.176698, 0.106265);
    assertEquals(7.82395, s.point(20).logSnr(), 2e-4);
  }

  @Test
  void stageBShiftOneGivesRequalsT() {
    SamplingSchedule s = SamplingSchedule.of(SamplerSettings.fromNoise(10, 1.1, 1));
    assertEquals(-3.70150, s.point(1).logSnr(), 1e-4);
    assertEquals(0.9, s.point(1).r(), 1e-6);
    assertEquals(0.1, s.point(9).r(), 1e-6);
    assertEquals(0.993583, s.point(0).r(), 1e-6);
  }

  @Test
  void fixtureRangesMatchWithinOneUlp() throws Exception {
    check("sampler_c", SamplerSettings.fromNoise(4, 4, 2));
    check("sampler_b", SamplerSettings.fromNoise(3, 1.1, 1));
  }

  @Test
  void ddpmSigmaMatchesFixtureTable() {
    SamplingSchedule s = SamplingSchedule.of(SamplerSettings.fromNoise(4, 4, 2));
    assertEquals(0.9784063046842754, s.ddpm(0).sigma(), 1e-6);
    assertEquals(0.019991651830347297, s.ddpm(3).sigma(), 1e-7);
  }

  private static void check(String fixture, SamplerSettings settings) throws Exception {
    SamplingSchedule s = SamplingSchedule.of(settings);
    try (FixtureTensors io = new FixtureTensors(fixture)) {
      float[] t = io.floats("t_range");
      float[] logSnr = io.floats("logSNR_range");
      float[] r = io.floats("noise_cond_range");
      for (int i = 0; i < t.length; i++) {
        ScheduleStep p = s.point(i);
        assertEquals(t[i], p.t(), 0f, fixture + " t[" + i + "]");
        assertEquals(logSnr[i], p.logSnr(), Math.ulp(logSnr[i]), fixture + " logSNR[" + i + "]");
        assertEquals(r[i], p.r(), 2 * Math.ulp(r[i]), fixture + " r[" + i + "]");
      }
    }
  }

  private static void assertPoint(ScheduleStep p, double logSnr, double a, double b, double r) {
    assertEquals(logSnr, p.logSnr(), 2e-5 * Math.max(1, Math.abs(logSnr)), "logSNR");
    assertEquals(a, p.a(), 2e-6, "a");
    assertEquals(b, p.b(), 2e-6, "b");
    assertEquals(r, p.r(), 2e-6, "r");
  }
}
