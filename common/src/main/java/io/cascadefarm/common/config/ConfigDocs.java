package io.cascadefarm.common.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders config keys as the Markdown table the README carries. */
public final class ConfigDocs {
  private ConfigDocs() {}

  public static String markdownTable(List<ConfigKey> keys) {
    Map<String, ConfigKey> unique = new LinkedHashMap<>();
    keys.forEach(k -> unique.putIfAbsent(k.name(), k));
    StringBuilder sb =
        new StringBuilder("| key | env var | default | meaning |\n|---|---|---|---|\n");
    for (ConfigKey k : unique.values()) {
      String def = k.defaultValue() == null ? "(required)" : "`" + k.defaultValue() + "`";
      sb.append("| `")
          .append(k.name())
          .append("` | `")
          .append(k.envVar())
          .append("` | ")
          .append(def)
          .append(" | ")
          .append(k.description())
          .append(" |\n");
    }
    return sb.toString();
  }
}
