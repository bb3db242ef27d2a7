package io.cascadefarm.cascade.diffusion;

/**
 * A port of torch's CPU generator and of {@code torch.randn} for float32 tensors, so that {@code
 * torch.manual_seed(seed)} followed by {@code torch.randn(shape)} calls can be reproduced bit for
 * bit on the JVM.
 *
 * <ul>
 *   <li>The generator is {@code at::mt19937} ({@code ATen/core/MT19937RNGEngine.h}): the standard
 *       32-bit Mersenne Twister seeded with the low 32 bits of the seed ({@code init_with_uint32}),
 *       {@code CPUGeneratorImpl::random()} = one tempered 32-bit output.
 *   <li>{@code at::uniform_real_distribution<float>(0, 1)} ({@code DistributionsHelper.h}, {@code
 *       TransformationHelper.h uniform_real}, accumulate type float on the CPU): {@code (r & (2^24
 *       - 1)) * 2^-24}.
 *   <li>{@code normal_kernel} ({@code native/cpu/DistributionTemplates.h}) for a contiguous float
 *       tensor of at least 16 elements takes {@code normal_fill_AVX2} on every x86-64 CPU with AVX2
 *       (the AVX512 build has no {@code normal_stub}, {@code REGISTER_NO_AVX512_DISPATCH}, so it
 *       falls back to AVX2): first one uniform per element, then Box-Muller on blocks of 16 (lanes
 *       0..7 give {@code u1 = 1 - u}, lanes 8..15 {@code u2}; {@code radius = sqrt(-2 log u1)},
 *       {@code theta = 2 pi u2}; lane j gets {@code radius cos theta}, lane j + 8 {@code radius sin
 *       theta}) with {@code log256_ps} and {@code sincos256_ps} of {@code avx_mathfun.h} (Cephes
 *       polynomials in float), and when the size is not a multiple of 16 the last 16 elements are
 *       drawn again and recomputed.
 * </ul>
 *
 * <p>This code path is the same in torch 1.13 (Debian's {@code python3-torch}, which the tests
 * compare with) and in torch 2.x up to 2.7 (the sources of {@code DistributionTemplates.h}, {@code
 * avx_mathfun.h}, {@code MT19937RNGEngine.h} and {@code TransformationHelper.h} only changed in
 * ways that do not touch these values; 2.x added a POWER/VSX variant). Tensors smaller than 16
 * elements take torch's double-precision {@code normal_distribution}, which is not ported: the
 * latents the farm draws always have at least 16 elements.
 *
 * <p>Not thread-safe; one instance is one {@code torch.Generator}.
 */
public final class TorchRandom {
  private static final int N = 624;
  private static final int M = 397;
  private static final int MATRIX_A = 0x9908b0df;
  private static final int UMASK = 0x80000000;
  private static final int LMASK = 0x7fffffff;

  private final int[] state = new int[N];
  private int left;
  private int next;

  /** {@code torch.Generator().manual_seed(seed)} (and {@code torch.manual_seed(seed)}). */
  public TorchRandom(long seed) {
    state[0] = (int) seed;
    for (int j = 1; j < N; j++) {
      state[j] = 1812433253 * (state[j - 1] ^ (state[j - 1] >>> 30)) + j;
    }
    left = 1;
    next = 0;
  }

  /** {@code CPUGeneratorImpl::random()}: the next tempered 32-bit output (as an unsigned int). */
  public int nextInt() {
    if (--left == 0) {
      nextState();
    }
    int y = state[next++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y;
  }

  /** {@code at::uniform_real_distribution<float>(0, 1)}: a float in [0, 1) from 24 bits. */
  public float nextUniform() {
    return (nextInt() & 0xFFFFFF) * 0x1.0p-24f;
  }

  /**
   * {@code torch.randn(n)} for a contiguous float32 tensor of {@code n >= 16} elements (any shape
   * with that many elements gives the same values in row-major order).
   */
  public float[] randn(int n) {
    if (n < 16) {
      throw new IllegalArgumentException(
          "torch draws tensors of fewer than 16 elements with another algorithm (not ported): "
              + n);
    }
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = nextUniform();
    }
    for (int i = 0; i < n - 15; i += 16) {
      fill16(data, i);
    }
    if (n % 16 != 0) {
      int base = n - 16;
      for (int i = 0; i < 16; i++) {
        data[base + i] = nextUniform();
      }
      fill16(data, base);
    }
    return data;
  }

  private void nextState() {
    left = N;
    next = 0;
    int p = 0;
    for (int j = N - M + 1; --j > 0; p++) {
      state[p] = state[p + M] ^ twist(state[p], state[p + 1]);
    }
    for (int j = M; --j > 0; p++) {
      state[p] = state[p + M - N] ^ twist(state[p], state[p + 1]);
    }
    state[p] = state[p + M - N] ^ twist(state[p], state[0]);
  }

  private static int twist(int u, int v) {
    int mix = (u & UMASK) | (v & LMASK);
    return (mix >>> 1) ^ ((v & 1) != 0 ? MATRIX_A : 0);
  }

  // ------------------------------------------------------------------ normal_fill_16_AVX2

  private static final float TWO_PI = (float) (2.0f * Math.PI);

  /** One block of 16: Box-Muller in the lanes of {@code normal_fill_16_AVX2} (std 1, mean 0). */
  private static void fill16(float[] data, int base) {
    for (int j = 0; j < 8; j++) {
      float u1 = 1.0f - data[base + j];
      float u2 = data[base + j + 8];
      float radius = (float) Math.sqrt(-2.0f * AvxMath.log(u1));
      float theta = TWO_PI * u2;
      float[] sc = AvxMath.sincos(theta);
      float n1 = radius * sc[1];
      float n2 = radius * sc[0];
      // _mm256_fmadd_ps(n, std = 1, mean = 0): exact, but -0 becomes +0
      data[base + j] = Math.fma(n1, 1.0f, 0.0f);
      data[base + j + 8] = Math.fma(n2, 1.0f, 0.0f);
    }
  }

  /**
   * {@code log256_ps} and {@code sincos256_ps} of torch's {@code avx_mathfun.h} (after Julien
   * Pommier's sse_mathfun, Cephes polynomials), one lane at a time, every operation in float.
   */
  static final class AvxMath {
    private static final float SQRTHF = (float) 0.707106781186547524;
    private static final float LOG_P0 = (float) 7.0376836292E-2;
    private static final float LOG_P1 = (float) -1.1514610310E-1;
    private static final float LOG_P2 = (float) 1.1676998740E-1;
    private static final float LOG_P3 = (float) -1.2420140846E-1;
    private static final float LOG_P4 = (float) +1.4249322787E-1;
    private static final float LOG_P5 = (float) -1.6668057665E-1;
    private static final float LOG_P6 = (float) +2.0000714765E-1;
    private static final float LOG_P7 = (float) -2.4999993993E-1;
    private static final float LOG_P8 = (float) +3.3333331174E-1;
    private static final float LOG_Q1 = (float) -2.12194440e-4;
    private static final float LOG_Q2 = (float) 0.693359375;

    private static final float MINUS_DP1 = (float) -0.78515625;
    private static final float MINUS_DP2 = (float) -2.4187564849853515625e-4;
    private static final float MINUS_DP3 = (float) -3.77489497744594108e-8;
    private static final float SINCOF_P0 = (float) -1.9515295891E-4;
    private static final float SINCOF_P1 = (float) 8.3321608736E-3;
    private static final float SINCOF_P2 = (float) -1.6666654611E-1;
    private static final float COSCOF_P0 = (float) 2.443315711809948E-005;
    private static final float COSCOF_P1 = (float) -1.388731625493765E-003;
    private static final float COSCOF_P2 = (float) 4.166664568298827E-002;
    private static final float FOPI = (float) 1.27323954473516;

    private AvxMath() {}

    /** {@code log256_ps} for one positive lane (torch never passes x <= 0 here). */
    static float log(float x) {
      if (!(x > 0)) {
        return Float.NaN;
      }
      x = Math.max(x, Float.MIN_NORMAL);
      int bits = Float.floatToRawIntBits(x);
      int imm0 = bits >>> 23;
      x = Float.intBitsToFloat((bits & ~0x7f800000) | Float.floatToRawIntBits(0.5f));
      imm0 -= 0x7f;
      float e = imm0;
      e = e + 1.0f;
      boolean mask = x < SQRTHF;
      float tmp = mask ? x : 0f;
      x = x - 1.0f;
      e = e - (mask ? 1.0f : 0f);
      x = x + tmp;
      float z = x * x;
      float y = Math.fma(LOG_P0, x, LOG_P1);
      y = Math.fma(y, x, LOG_P2);
      y = Math.fma(y, x, LOG_P3);
      y = Math.fma(y, x, LOG_P4);
      y = Math.fma(y, x, LOG_P5);
      y = Math.fma(y, x, LOG_P6);
      y = Math.fma(y, x, LOG_P7);
      y = Math.fma(y, x, LOG_P8);
      y = y * x;
      y = Math.fma(y, z, e * LOG_Q1);
      y = Math.fma(-z, 0.5f, y);
      x = Math.fma(e, LOG_Q2, x + y);
      return x;
    }

    /** {@code sincos256_ps} for one lane: {sin, cos}. */
    static float[] sincos(float x) {
      int signSin = Float.floatToRawIntBits(x) & 0x80000000;
      x = Math.abs(x);
      float y = x * FOPI;
      int imm2 = (int) y; // cvttps: truncation (arguments here are small and non-negative)
      imm2 = (imm2 + 1) & ~1;
      y = imm2;
      int imm4 = imm2;
      int swapSignSin = (imm2 & 4) << 29;
      boolean polyMask = (imm2 & 2) == 0;
      x = Math.fma(y, MINUS_DP1, x);
      x = Math.fma(y, MINUS_DP2, x);
      x = Math.fma(y, MINUS_DP3, x);
      imm4 = imm4 - 2;
      imm4 = (~imm4 & 4) << 29;
      int signCos = imm4;
      signSin ^= swapSignSin;

      float z = x * x;
      y = Math.fma(COSCOF_P0, z, COSCOF_P1);
      y = Math.fma(y, z, COSCOF_P2);
      y = y * z;
      y = Math.fma(y, z, -(z * 0.5f));
      y = y + 1.0f;

      float y2 = Math.fma(SINCOF_P0, z, SINCOF_P1);
      y2 = Math.fma(y2, z, SINCOF_P2);
      y2 = y2 * z;
      y2 = Math.fma(y2, x, x);

      float ysin2 = polyMask ? y2 : 0f;
      float ysin1 = polyMask ? 0f : y;
      y2 = y2 - ysin2;
      y = y - ysin1;
      float s = ysin1 + ysin2;
      float c = y + y2;
      return new float[] {
        Float.intBitsToFloat(Float.floatToRawIntBits(s) ^ signSin),
        Float.intBitsToFloat(Float.floatToRawIntBits(c) ^ signCos)
      };
    }
  }
}
