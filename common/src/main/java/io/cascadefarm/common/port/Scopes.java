package io.cascadefarm.common.port;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The scopes an API key may hold. {@code submit}: create, cancel and retry jobs and batches, upload
 * images and LoRAs; {@code read}: look at the tenant's own jobs, batches, events and queue; {@code
 * admin}: the workers registry, drain/release, and every tenant's queues. Keys made before scopes
 * existed hold {@link #DEFAULT} (submit and read).
 */
public final class Scopes {
  public static final String SUBMIT = "submit";
  public static final String READ = "read";
  public static final String ADMIN = "admin";
  public static final List<String> ALL = List.of(SUBMIT, READ, ADMIN);
  public static final Set<String> DEFAULT = Set.of(SUBMIT, READ);

  private Scopes() {}

  /**
   * Parses {@code submit,read,admin} (any order, spaces allowed); an unknown or empty list is an
   * IllegalArgumentException naming the known scopes.
   */
  public static Set<String> parse(String list) {
    Set<String> out = new TreeSet<>();
    for (String s : list.split(",")) {
      String t = s.trim().toLowerCase(Locale.ROOT);
      if (t.isEmpty()) {
        continue;
      }
      if (!ALL.contains(t)) {
        throw new IllegalArgumentException(
            "unknown scope '" + s.trim() + "' (known: " + String.join(", ", ALL) + ")");
      }
      out.add(t);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("at least one scope is required: " + ALL);
    }
    return out;
  }

  /** The scopes in their documented order (submit, read, admin). */
  public static List<String> ordered(Set<String> scopes) {
    Set<String> out = new LinkedHashSet<>();
    ALL.stream().filter(scopes::contains).forEach(out::add);
    return List.copyOf(out);
  }

  public static String[] array(Set<String> scopes) {
    return ordered(scopes).toArray(new String[0]);
  }
}
