package io.cascadefarm.common.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.common.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of a batch envelope besides {@code defaults}, {@code jobs} and {@code metadata}:
 * {@code priority}, {@code labels}, {@code webhook_url} and {@code webhook_events}, declared once
 * like the job fields of {@link JobContract} (which they reuse where they mean the same).
 *
 * <p>What they do: {@code priority} and {@code labels} are the defaults of every job of the batch
 * (a job's own labels win key by key) and are kept on the batch for {@code GET /v1/batches}; {@code
 * webhook_url} receives {@code batch.completed} (with the batch's counts) when the last job of the
 * batch reaches a final status, and the job events named in {@code webhook_events} of every job
 * that has no webhook of its own.
 */
public final class BatchContract {
  /** The events a batch webhook may ask for. */
  public static final List<String> EVENTS =
      List.of("batch.completed", "job.succeeded", "job.failed", "job.cancelled");

  public static final Field WEBHOOK_EVENTS =
      Field.array("webhook_events", Field.string("event", 32).oneOf(EVENTS), 4, "at most 4")
          .describe(
              "events sent to the batch's webhook_url; default: batch.completed only. Job events"
                  + " named here are sent for every job without a webhook_url of its own");

  /** The envelope fields this class reads, by wire name. */
  public static final List<Field> FIELDS =
      List.of(JobContract.PRIORITY, JobContract.LABELS, JobContract.WEBHOOK_URL, WEBHOOK_EVENTS);

  private BatchContract() {}

  /** Whether {@code name} is an envelope field of this contract. */
  public static boolean isField(String name) {
    return FIELDS.stream().anyMatch(f -> f.name().equals(name));
  }

  /**
   * Reads the value of envelope field {@code name} (the parser on its value) into {@code into},
   * reporting a bad value to {@code out} under {@code name}.
   */
  public static BatchEnvelope read(JsonParser p, String name, BatchEnvelope into, Problems out)
      throws IOException {
    Field f = FIELDS.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    JsonNode clean = f.check(Json.mapper().readTree(p), name, JobLimits.CEILING, out, false);
    if (clean == null) {
      return into;
    }
    return switch (name) {
      case "priority" -> into.withPriority(clean.textValue());
      case "labels" -> into.withLabels(strings(clean));
      case "webhook_url" -> into.withWebhookUrl(clean.textValue());
      default -> into.withWebhookEvents(list(clean));
    };
  }

  /**
   * A job of the batch with the envelope applied: the batch's priority when the job has none, the
   * batch's labels under the job's own, and the batch webhook's job events when the job has no
   * webhook_url. Problems (too many labels together) go to {@code out} under {@code prefix}.
   */
  public static io.cascadefarm.common.job.JobParams apply(
      io.cascadefarm.common.job.JobParams job, BatchEnvelope env, String prefix, Problems out) {
    if (env == null || env.isEmpty()) {
      return job;
    }
    io.cascadefarm.common.job.JobParams.Builder b = job.toBuilder();
    if (job.priority() == null && env.priority() != null) {
      b.priority(env.priority());
    }
    if (!env.labels().isEmpty()) {
      Map<String, String> labels = new LinkedHashMap<>(env.labels());
      labels.putAll(job.labels());
      if (labels.size() > 16) {
        out.add(
            Field.join(prefix, "labels"),
            "must have at most 16 entries together with the batch's labels, got " + labels.size());
      } else {
        b.labels(labels);
      }
    }
    if (job.webhookUrl() == null && env.webhookUrl() != null && !env.jobEvents().isEmpty()) {
      b.webhookUrl(env.webhookUrl()).webhookEvents(env.jobEvents());
    }
    return b.build();
  }

  /** The OpenAPI properties of the envelope fields. */
  public static ObjectNode schemaProperties() {
    ObjectNode props = Json.mapper().createObjectNode();
    for (Field f : FIELDS) {
      ObjectNode s = f.schema(JobLimits.CEILING);
      if (f == JobContract.PRIORITY) {
        s.put("description", "default priority of the batch's jobs; " + f.description());
      }
      if (f == JobContract.WEBHOOK_URL) {
        s.put(
            "description",
            "receives batch.completed (and the job events of webhook_events); " + f.description());
      }
      props.set(f.name(), s);
    }
    return props;
  }

  private static Map<String, String> strings(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().textValue()));
    return out;
  }

  private static List<String> list(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(e -> out.add(e.textValue()));
    return out;
  }
}
