package io.cascadefarm.cascade.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Path;

/**
 * Reads and sets libtorch's global math flags that DJL does not expose, by calling {@code
 * at::globalContext()} and its member functions in {@code libtorch_cpu.so} through JNA (the Itanium
 * C++ ABI passes {@code this} as the first argument): TF32 for cuBLAS matmuls ({@code
 * torch.backends.cuda.matmul.allow_tf32}) and for cuDNN convolutions ({@code
 * torch.backends.cudnn.allow_tf32}). The symbols are exported by every libtorch 2.x build; a
 * missing one raises {@link UnsatisfiedLinkError} naming it.
 */
public final class LibtorchContext {
  private static NativeLibrary library;
  private static Pointer context;

  private LibtorchContext() {}

  /** {@code at::globalContext().allowTF32CuBLAS()}. */
  public static boolean tf32CuBlas() {
    return call("_ZNK2at7Context15allowTF32CuBLASEv");
  }

  /** {@code at::globalContext().allowTF32CuDNN()}. */
  public static boolean tf32CuDnn() {
    return call("_ZNK2at7Context14allowTF32CuDNNEv");
  }

  /** {@code at::globalContext().setAllowTF32CuBLAS(on)}. */
  public static void setTf32CuBlas(boolean on) {
    set("_ZN2at7Context18setAllowTF32CuBLASEb", on);
  }

  /** {@code at::globalContext().setAllowTF32CuDNN(on)}. */
  public static void setTf32CuDnn(boolean on) {
    set("_ZN2at7Context17setAllowTF32CuDNNEb", on);
  }

  private static boolean call(String symbol) {
    return (function(symbol).invokeInt(new Object[] {context()}) & 0xff) != 0;
  }

  private static void set(String symbol, boolean on) {
    function(symbol).invokeVoid(new Object[] {context(), on});
  }

  private static synchronized Function function(String symbol) {
    context();
    return library.getFunction(symbol);
  }

  private static synchronized Pointer context() {
    if (context == null) {
      Engine.getEngine("PyTorch"); // loads libtorch
      library =
          NativeLibrary.getInstance(
              Path.of(LibUtils.getLibtorchPath(), "libtorch_cpu.so").toString());
      context = library.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
    }
    return context;
  }
}
