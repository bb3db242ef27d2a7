package io.cascadefarm.cascade.nn;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cap on the instruction set of libtorch's oneDNN kernels (oneDNN's {@value #ENV}).
 *
 * <p>libtorch 2.7.1's oneDNN convolutions return wrong values for some shapes on some AMD EPYC
 * hosts with AVX-512, deterministically and depending on the instruction set: the AVX-512 and the
 * AVX2 kernels each fail on different shapes, the SSE4.1 kernels were right in every case tried
 * (docs/reliability.md, "Numerics"). The farm therefore caps oneDNN at {@value #FARM_DEFAULT}
 * unless the operator chose a value ({@value #ENV} or its older name {@code DNNL_MAX_CPU_ISA} in
 * the environment, e.g. {@code ALL} for no cap on a host whose self-check passes uncapped). fp32
 * matrix products (linear layers, attention) run in MKL, not oneDNN, and are not affected by the
 * cap.
 *
 * <p>oneDNN reads the variable once, when a kernel first asks for the instruction set (not when
 * libtorch loads: checked with {@code ONEDNN_VERBOSE=1}, which then reports {@code jit:sse41}
 * kernels), so {@link #configure()} must run before the first convolution: {@link Ops} calls it
 * when it is first used, which precedes every convolution of the port. The variable is set in this
 * process's native environment (libc {@code setenv}); Java's own {@link System#getenv()} copy, and
 * so child processes started from Java, do not see it and configure themselves.
 */
public final class OneDnnIsa {
  /** oneDNN's environment variable. */
  public static final String ENV = "ONEDNN_MAX_CPU_ISA";

  /** The pre-3.0 name oneDNN still reads when {@value #ENV} is absent. */
  public static final String LEGACY_ENV = "DNNL_MAX_CPU_ISA";

  /** The cap the farm applies when the operator set none. */
  public static final String FARM_DEFAULT = "SSE41";

  private static final Logger LOG = LoggerFactory.getLogger(OneDnnIsa.class);
  private static Setting setting;

  private OneDnnIsa() {}

  /** The effective cap and where it came from. */
  public record Setting(String value, String source) {
    /** e.g. {@code ONEDNN_MAX_CPU_ISA=SSE41 (farm default)}. */
    public String describe() {
      return ENV + "=" + value + " (" + source + ")";
    }
  }

  /**
   * Applies the farm default unless the environment sets a cap; idempotent and thread-safe. Returns
   * the effective setting.
   */
  public static synchronized Setting configure() {
    if (setting == null) {
      setting = decide();
      LOG.debug("oneDNN instruction set: {}", setting.describe());
    }
    return setting;
  }

  private static Setting decide() {
    for (String name : new String[] {ENV, LEGACY_ENV}) {
      String v = System.getenv(name);
      if (v != null && !v.isBlank()) {
        return new Setting(v.trim(), "from " + name + " in the environment");
      }
    }
    try {
      int rc = LibC.INSTANCE.setenv(ENV, FARM_DEFAULT, 1);
      if (rc != 0) {
        return unset("setenv failed with " + rc);
      }
    } catch (LinkageError | RuntimeException e) {
      return unset("setenv unavailable: " + e);
    }
    return new Setting(FARM_DEFAULT, "farm default");
  }

  private static Setting unset(String why) {
    LOG.warn(
        "could not cap oneDNN at {} ({}); set {}={} in the environment",
        FARM_DEFAULT,
        why,
        ENV,
        FARM_DEFAULT);
    return new Setting("(libtorch default)", "farm default NOT applied: " + why);
  }

  /** The one libc function needed. */
  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int setenv(String name, String value, int overwrite);
  }
}
