package io.cascadefarm.dispatcher.hostile;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Bytes allocated by the dispatcher's own threads (Vert.x event loops and workers, the farm's
 * executors), summed over every live thread whose name marks it as the dispatcher's: the memory a
 * request made the server allocate, without the test client's allocations.
 */
public final class DispatcherMemory {
  private DispatcherMemory() {}

  private static boolean isServer(String name) {
    return name.startsWith("vert.x-") || name.startsWith("farm-") || name.startsWith("dispatcher-");
  }

  /** Total bytes allocated so far by the dispatcher's live threads. */
  public static long allocated() {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] ids =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> isServer(t.getName()))
            .mapToLong(Thread::getId)
            .toArray();
    return Arrays.stream(mx.getThreadAllocatedBytes(ids)).filter(b -> b > 0).sum();
  }
}
