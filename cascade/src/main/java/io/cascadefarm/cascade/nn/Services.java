package io.cascadefarm.cascade.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads service providers, skipping (and logging) entries whose class is missing or cannot be
 * instantiated, so one helper's half-registered adapter cannot break everyone else's.
 */
public final class Services {
  private static final Logger LOG = LoggerFactory.getLogger(Services.class);

  private Services() {}

  public static <S> List<S> load(Class<S> type) {
    List<S> out = new ArrayList<>();
    Iterator<S> it = ServiceLoader.load(type).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        out.add(it.next());
      } catch (ServiceConfigurationError e) {
        LOG.warn("skipping broken {} provider: {}", type.getSimpleName(), e.getMessage());
      }
    }
    return out;
  }
}
