package io.cascadefarm.common.contract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch-level settings of a batch envelope ({@link BatchContract}): default priority, labels,
 * and the batch webhook with its events. Unset fields are null (labels and events: empty).
 */
public record BatchEnvelope(
    String priority, Map<String, String> labels, String webhookUrl, List<String> webhookEvents) {

  public static final BatchEnvelope NONE = new BatchEnvelope(null, null, null, null);

  public BatchEnvelope {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    webhookEvents = webhookEvents == null ? List.of() : List.copyOf(webhookEvents);
  }

  public boolean isEmpty() {
    return priority == null && labels.isEmpty() && webhookUrl == null && webhookEvents.isEmpty();
  }

  /** The events sent to {@link #webhookUrl}: as given, else {@code batch.completed} alone. */
  public List<String> effectiveEvents() {
    return webhookEvents.isEmpty() ? List.of("batch.completed") : webhookEvents;
  }

  /** The job events (job.*) the batch webhook asks for. */
  public List<String> jobEvents() {
    List<String> out = new ArrayList<>();
    for (String e : effectiveEvents()) {
      if (e.startsWith("job.")) {
        out.add(e);
      }
    }
    return out;
  }

  BatchEnvelope withPriority(String v) {
    return new BatchEnvelope(v, labels, webhookUrl, webhookEvents);
  }

  BatchEnvelope withLabels(Map<String, String> v) {
    return new BatchEnvelope(priority, new HashMap<>(v), webhookUrl, webhookEvents);
  }

  BatchEnvelope withWebhookUrl(String v) {
    return new BatchEnvelope(priority, labels, v, webhookEvents);
  }

  BatchEnvelope withWebhookEvents(List<String> v) {
    return new BatchEnvelope(priority, labels, webhookUrl, v);
  }
}
