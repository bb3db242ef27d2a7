package io.cascadefarm.cascade.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The compute devices of this process, as the PyTorch engine sees them, and the parsing of a device
 * setting ({@code auto}, {@code cpu}, or a list such as {@code cuda:0,cuda:1}) into one device per
 * render worker.
 */
public final class Devices {
  private Devices() {}

  /** The engine's default device (GPU 0 when libtorch sees a GPU, else the CPU). */
  public static Device defaultDevice() {
    return Engine.getEngine("PyTorch").defaultDevice();
  }

  /** The visible GPUs, in order (empty on a CPU-only host or with the CPU build of libtorch). */
  public static List<Device> visibleGpus() {
    Engine engine = Engine.getEngine("PyTorch");
    List<Device> out = new ArrayList<>();
    for (Device d : engine.getDevices()) {
      if (d.isGpu()) {
        out.add(d);
      }
    }
    return out;
  }

  /** One device per worker for {@code auto}: every visible GPU, or the CPU when there is none. */
  public static List<Device> visible() {
    List<Device> gpus = visibleGpus();
    return gpus.isEmpty() ? List.of(Device.cpu()) : gpus;
  }

  /**
   * Parses a device setting: {@code auto} ({@link #visible()}), {@code cpu}, or a comma-separated
   * list of {@code cpu}, {@code cuda:N} / {@code gpu:N} (also {@code gpu}/{@code cuda} for 0). A
   * GPU that the engine does not see is refused with a message naming the visible ones.
   */
  public static List<Device> parse(String field, String text) {
    if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("auto")) {
      return visible();
    }
    List<Device> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      Device d;
      if (p.equals("cpu")) {
        d = Device.cpu();
      } else if (p.matches("(cuda|gpu)(:\\d+)?")) {
        int id = p.contains(":") ? Integer.parseInt(p.substring(p.indexOf(':') + 1)) : 0;
        d = Device.gpu(id);
        if (!visibleGpus().contains(d)) {
          throw new IllegalArgumentException(
              field + ": " + part.trim() + " is not visible; visible GPUs: " + visibleGpus());
        }
      } else {
        throw new IllegalArgumentException(
            field + " must be auto, cpu or a list like cuda:0,cuda:1; got '" + part.trim() + "'");
      }
      out.add(d);
    }
    return List.copyOf(out);
  }
}
