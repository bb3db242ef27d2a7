package io.cascadefarm.dispatcher.http;

import io.cascadefarm.common.topic.JobEventMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Thins one stream's progress events to at most one per {@value #MIN_GAP_MS} ms per job. An event
 * that starts a new stage or finishes one (step == steps) always passes, so a client never misses a
 * stage boundary. Used on one Vert.x context only (not thread-safe).
 */
final class ProgressThrottle {
  static final long MIN_GAP_MS = 500;
  private final Map<UUID, Long> lastSent = new HashMap<>();
  private final Map<UUID, String> lastStage = new HashMap<>();

  boolean admit(JobEventMessage e) {
    if (e.jobId() == null || e.progress() == null) {
      return true;
    }
    long now = System.nanoTime() / 1_000_000;
    String stage = e.progress().stage();
    boolean boundary =
        e.progress().step() >= e.progress().steps()
            || !java.util.Objects.equals(stage, lastStage.get(e.jobId()));
    Long last = lastSent.get(e.jobId());
    if (!boundary && last != null && now - last < MIN_GAP_MS) {
      return false;
    }
    if (lastSent.size() > 10_000) {
      lastSent.clear();
      lastStage.clear();
    }
    lastSent.put(e.jobId(), now);
    lastStage.put(e.jobId(), stage);
    return true;
  }
}
