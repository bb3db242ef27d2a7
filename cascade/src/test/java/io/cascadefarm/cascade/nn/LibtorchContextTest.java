package io.cascadefarm.cascade.nn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** libtorch's global TF32 flags, read and set through JNA, round-trip and start at the defaults. */
class LibtorchContextTest {
  @Test
  void tf32FlagsStartAtLibtorchsDefaultsAndCanBeSet() {
    boolean cublas = LibtorchContext.tf32CuBlas();
    boolean cudnn = LibtorchContext.tf32CuDnn();
    try {
      if (System.getenv("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE") == null) {
        assertFalse(cublas, "libtorch's default: full fp32 cuBLAS matmuls");
      }
      assertTrue(cudnn, "libtorch's default: TF32 cuDNN convolutions");
      LibtorchContext.setTf32CuBlas(true);
      LibtorchContext.setTf32CuDnn(false);
      assertTrue(LibtorchContext.tf32CuBlas());
      assertFalse(LibtorchContext.tf32CuDnn());
    } finally {
      LibtorchContext.setTf32CuBlas(cublas);
      LibtorchContext.setTf32CuDnn(cudnn);
    }
  }
}
