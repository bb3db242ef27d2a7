package io.cascadefarm.worker.cascade;

import ai.djl.Device;
import io.cascadefarm.cascade.model.Devices;
import io.cascadefarm.common.config.WorkerConfig;
import java.util.List;

/**
 * {@code farm.worker.devices} resolved against the engine: {@code auto} becomes every visible GPU,
 * or the CPU when there is none (always the CPU with the CPU build of libtorch); a GPU the engine
 * does not see is refused, naming the visible ones. Devices are named {@code cpu} or {@code
 * cuda:N}, the form a one-device setting takes.
 */
public final class RenderDevices {
  private RenderDevices() {}

  /** One name per render loop, in order. */
  public static List<String> resolve(String setting) {
    return parse(setting).stream().map(RenderDevices::name).toList();
  }

  /** The first device of {@code setting}: the one a renderer built for a one-device config uses. */
  public static Device first(String setting) {
    return parse(setting).get(0);
  }

  static String name(Device d) {
    return d.isGpu() ? "cuda:" + d.getDeviceId() : "cpu";
  }

  private static List<Device> parse(String setting) {
    return Devices.parse(WorkerConfig.DEVICES.name(), setting);
  }
}
