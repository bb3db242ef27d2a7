package io.cascadefarm.cascade.pipeline;

import java.util.Locale;

/**
 * Recognises out-of-memory failures of a render: libtorch's CUDA allocator ({@code CUDA out of
 * memory}, {@code CUDA error: out of memory}), its CPU allocator ({@code DefaultCPUAllocator: not
 * enough memory}), as DJL reports them ({@code EngineException}), and the JVM's own {@link
 * OutOfMemoryError}.
 */
public final class OutOfMemory {
  private OutOfMemory() {}

  /** Whether {@code t} or one of its causes is an out-of-memory failure. */
  public static boolean is(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof OutOfMemoryError) {
        return true;
      }
      String m = c.getMessage();
      if (m != null) {
        String s = m.toLowerCase(Locale.ROOT);
        if (s.contains("out of memory") || s.contains("not enough memory")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The first line of the failure's message. */
  static String message(Throwable t) {
    String m = String.valueOf(t.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
