package io.cascadefarm.cascade.nn;

import java.util.List;

/** Thrown by {@link WeightBinder} when checkpoint keys and declared parameters disagree. */
public class WeightMismatchException extends RuntimeException {
  private static final int MAX_LISTED = 20;

  private final List<String> missing;
  private final List<String> unexpected;
  private final List<String> misShaped;

  public WeightMismatchException(
      String model, List<String> missing, List<String> unexpected, List<String> misShaped) {
    super(message(model, missing, unexpected, misShaped));
    this.missing = List.copyOf(missing);
    this.unexpected = List.copyOf(unexpected);
    this.misShaped = List.copyOf(misShaped);
  }

  public List<String> missing() {
    return missing;
  }

  public List<String> unexpected() {
    return unexpected;
  }

  public List<String> misShaped() {
    return misShaped;
  }

  private static String message(
      String model, List<String> missing, List<String> unexpected, List<String> misShaped) {
    StringBuilder sb = new StringBuilder("weights do not match ").append(model).append(':');
    section(sb, "missing keys (declared, not in checkpoint)", missing);
    section(sb, "unexpected keys (in checkpoint, not declared)", unexpected);
    section(sb, "mis-shaped keys", misShaped);
    return sb.toString();
  }

  private static void section(StringBuilder sb, String title, List<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    sb.append("\n  ").append(keys.size()).append(' ').append(title).append(':');
    keys.stream().limit(MAX_LISTED).forEach(k -> sb.append("\n    ").append(k));
    if (keys.size() > MAX_LISTED) {
      sb.append("\n    ... and ").append(keys.size() - MAX_LISTED).append(" more");
    }
  }
}
