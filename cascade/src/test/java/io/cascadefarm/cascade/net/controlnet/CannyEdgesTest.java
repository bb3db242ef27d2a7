package io.cascadefarm.cascade.net.controlnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CannyEdgesTest {
  private static final int N = 20;

  /** Left half 0, right half {@code top} above row 10 and {@code bottom} below, one channel. */
  private static int[] step(int top, int bottom) {
    int[] p = new int[N * N];
    for (int y = 0; y < N; y++) {
      for (int x = N / 2; x < N; x++) {
        p[y * N + x] = y < N / 2 ? top : bottom;
      }
    }
    return p;
  }

  private static int count(boolean[] e) {
    int n = 0;
    for (boolean b : e) {
      n += b ? 1 : 0;
    }
    return n;
  }

  @Test
  void strongStepGivesAOnePixelLineOnItsLeftSide() {
    boolean[] e = CannyEdges.detect(step(255, 255), N, N, 1, 100, 200);
    for (int y = 0; y < N; y++) {
      assertTrue(e[y * N + 9], "row " + y);
    }
    assertEquals(N, count(e));
  }

  @Test
  void flatImageAndWeakStepsHaveNoEdges() {
    assertEquals(0, count(CannyEdges.detect(new int[N * N * 3], N, N, 3, 100, 200)));
    assertEquals(0, count(CannyEdges.detect(step(30, 30), N, N, 1, 100, 200)), "|grad| 120");
  }

  @Test
  void weakEdgeConnectedToAStrongOneIsKept() {
    boolean[] e = CannyEdges.detect(step(60, 30), N, N, 1, 100, 200);
    for (int y = 0; y < N; y++) {
      assertTrue(e[y * N + 9] || e[y * N + 10], "row " + y);
    }
    assertTrue(e[(N - 1) * N + 9], "weak bottom end reached by hysteresis");
    assertFalse(e[15 * N + 2]);
  }

  @Test
  void strongestChannelDecides() {
    int[] rgb = new int[N * N * 3];
    int[] gray = step(255, 255);
    for (int i = 0; i < N * N; i++) {
      rgb[i * 3 + 1] = gray[i];
    }
    boolean[] e = CannyEdges.detect(rgb, N, N, 3, 100, 200);
    assertEquals(N, count(e));
    assertTrue(e[5 * N + 9]);
  }
}
