package io.cascadefarm.dispatcher.api;

import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;

/**
 * Rules that relate several fields of a job, checked after batch defaults were merged in: image
 * kinds need an {@code image}, text-to-image needs a prompt, kind-specific fields are refused on
 * other kinds, ControlNet needs a {@code control} type and the big (3.6B) Stage C or {@code tiny}.
 */
public final class JobRules {
  private JobRules() {}

  public static void check(JobParams p, String prefix, ErrorScope s) {
    JobKind kind = p.kind() == null ? JobKind.TEXT_TO_IMAGE : p.kind();
    String k = kind.wire();
    if (kind == JobKind.TEXT_TO_IMAGE && (p.prompt() == null || p.prompt().isBlank())) {
      s.add(f(prefix, "prompt"), "is required for kind text_to_image");
    }
    if (kind.needsImage() && p.image() == null) {
      s.add(f(prefix, "image"), "is required for kind " + k + " (upload it with POST /v1/uploads)");
    }
    if (!kind.needsImage() && p.image() != null) {
      s.add(f(prefix, "image"), "is not used by kind text_to_image");
    }
    if (kind != JobKind.IMAGE_TO_IMAGE && p.strength() != null) {
      s.add(f(prefix, "strength"), "is only used by kind image_to_image");
    }
    checkControlnet(p, kind, prefix, s);
  }

  private static void checkControlnet(JobParams p, JobKind kind, String prefix, ErrorScope s) {
    if (kind != JobKind.CONTROLNET) {
      for (String field : new String[] {"control", "mask", "control_strength"}) {
        if (valueOf(p, field) != null) {
          s.add(f(prefix, field), "is only used by kind controlnet");
        }
      }
      return;
    }
    if (p.control() == null) {
      s.add(
          f(prefix, "control"),
          "is required for kind controlnet (canny, inpaint, outpaint, super_resolution, identity)");
    }
    boolean inpaint = "inpaint".equals(p.control()) || "inpainting".equals(p.control());
    boolean paint = inpaint || "outpaint".equals(p.control());
    if (p.mask() != null && p.control() != null && !paint) {
      s.add(f(prefix, "mask"), "is only used by control inpaint and outpaint");
    }
    if (p.mask() == null && inpaint) {
      s.add(
          f(prefix, "mask"),
          "is required for control inpaint (upload a PNG, white = generate, with POST"
              + " /v1/uploads)");
    }
    if (p.model() == null || "lite".equals(p.model())) {
      s.add(
          f(prefix, "model"),
          "ControlNets exist only for the big (3.6B) Stage C: set model to big (or tiny for tests)");
    }
  }

  private static Object valueOf(JobParams p, String field) {
    return switch (field) {
      case "control" -> p.control();
      case "mask" -> p.mask();
      default -> p.controlStrength();
    };
  }

  private static String f(String prefix, String name) {
    return JobReader.join(prefix, name);
  }
}
