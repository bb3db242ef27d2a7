package io.cascadefarm.cascade.tools.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Native op counts of a piece of code, from libtorch's own profiler ({@code JniUtils.startProfile}
 * / {@code stopProfile}, which writes a Chrome trace). {@code ops} counts every recorded ATen call
 * (nested ones included, e.g. {@code aten::linear} and the {@code aten::addmm} inside it); {@code
 * topLevelOps} counts calls not nested in another (what the Java code issued); {@code
 * allocatedBytes} sums the profiler's {@code cpu mem} of the top-level calls (bytes allocated by
 * them, net of frees inside the call) = memory of the tensors created; {@code largestOpBytes} is
 * the largest of them (the biggest tensor one call created).
 */
public record OpProfile(int ops, int topLevelOps, long allocatedBytes, long largestOpBytes) {

  /** Profiles {@code body} (single-threaded use only: the profiler is process-global). */
  public static OpProfile of(Runnable body) throws IOException {
    Path trace = Files.createTempFile("farm-profile", ".json");
    try {
      JniUtils.startProfile(false, false, true);
      try {
        body.run();
      } finally {
        JniUtils.stopProfile(trace.toString());
      }
      return parse(new ObjectMapper().readTree(trace.toFile()));
    } finally {
      Files.deleteIfExists(trace);
    }
  }

  /** Time and calls of one op name at top level (not nested in another recorded op). */
  public record OpTime(String name, int calls, double micros) {}

  /**
   * Top-level ops of {@code body} grouped by name, most time first: where a forward spends its
   * time, as the Java code issued it (nested ATen calls are inside their parent's time).
   */
  public static List<OpTime> timeByOp(Runnable body) throws IOException {
    Path trace = Files.createTempFile("farm-profile", ".json");
    try {
      JniUtils.startProfile(false, false, true);
      try {
        body.run();
      } finally {
        JniUtils.stopProfile(trace.toString());
      }
      return byName(new ObjectMapper().readTree(trace.toFile()));
    } finally {
      Files.deleteIfExists(trace);
    }
  }

  static List<OpTime> byName(JsonNode events) {
    List<JsonNode> spans = new ArrayList<>();
    for (JsonNode e : events) {
      if ("X".equals(e.path("ph").asText())) {
        spans.add(e);
      }
    }
    spans.sort(
        Comparator.<JsonNode>comparingDouble(e -> e.path("ts").asDouble())
            .thenComparingDouble(e -> -e.path("dur").asDouble()));
    java.util.Map<String, double[]> acc = new java.util.LinkedHashMap<>();
    double openEnd = Double.NEGATIVE_INFINITY;
    for (JsonNode e : spans) {
      double ts = e.path("ts").asDouble();
      double dur = e.path("dur").asDouble();
      if (ts >= openEnd) {
        double[] a = acc.computeIfAbsent(e.path("name").asText(), k -> new double[2]);
        a[0]++;
        a[1] += dur;
        openEnd = ts + dur;
      }
    }
    List<OpTime> out = new ArrayList<>();
    acc.forEach((k, v) -> out.add(new OpTime(k, (int) v[0], v[1])));
    out.sort(Comparator.comparingDouble(OpTime::micros).reversed());
    return out;
  }

  /** Parses a Chrome trace array of {@code ph: X} events. */
  static OpProfile parse(JsonNode events) {
    List<double[]> spans = new ArrayList<>();
    for (JsonNode e : events) {
      if ("X".equals(e.path("ph").asText())) {
        double ts = e.path("ts").asDouble();
        double mem = memoryBytes(e.path("cpu mem").asText("0 b"));
        spans.add(new double[] {ts, ts + e.path("dur").asDouble(), mem, e.path("tid").asDouble()});
      }
    }
    spans.sort(Comparator.<double[]>comparingDouble(s -> s[0]).thenComparingDouble(s -> -s[1]));
    int top = 0;
    long bytes = 0;
    long largest = 0;
    double openEnd = Double.NEGATIVE_INFINITY;
    for (double[] s : spans) {
      if (s[0] >= openEnd) {
        top++;
        bytes += (long) Math.max(0, s[2]);
        largest = Math.max(largest, (long) s[2]);
        openEnd = s[1];
      }
    }
    return new OpProfile(spans.size(), top, bytes, largest);
  }

  /** Parses torch's memory text, e.g. {@code 16.00 Kb}, {@code -1.50 Mb}, {@code 0 b}. */
  static double memoryBytes(String text) {
    String[] p = text.trim().split("\\s+");
    if (p.length != 2) {
      return 0;
    }
    double v = Double.parseDouble(p[0]);
    return switch (p[1]) {
      case "Gb" -> v * (1L << 30);
      case "Mb" -> v * (1L << 20);
      case "Kb" -> v * 1024;
      default -> v;
    };
  }
}
