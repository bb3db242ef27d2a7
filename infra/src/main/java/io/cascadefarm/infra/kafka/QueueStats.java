package io.cascadefarm.infra.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Queue depth per topic, read with Kafka's admin client: messages retained (end minus beginning
 * offsets, summed over partitions) and the lag of a consumer group (end minus committed offsets; a
 * partition the group never committed counts from its beginning). One snapshot costs a describe,
 * two offset listings and one group-offset listing.
 */
public final class QueueStats implements AutoCloseable {
  private final Admin admin;

  /** Depth of every topic, and the group's lag on the topics it consumes. */
  public record Snapshot(Map<String, Long> messages, Map<String, Long> lag) {}

  private QueueStats(Admin admin) {
    this.admin = admin;
  }

  public static QueueStats connect(String bootstrapServers) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "farm-dispatcher-queue-stats");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    return new QueueStats(Admin.create(p));
  }

  /** {@code topics}' depth; {@code group}'s lag on {@code consumed} (a subset of topics). */
  public Snapshot snapshot(List<String> topics, String group, List<String> consumed)
      throws Exception {
    Map<String, TopicDescription> described =
        admin.describeTopics(topics).allTopicNames().get(15, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicDescription d : described.values()) {
      d.partitions()
          .forEach(
              p -> {
                TopicPartition tp = new TopicPartition(d.name(), p.partition());
                earliest.put(tp, OffsetSpec.earliest());
                latest.put(tp, OffsetSpec.latest());
              });
    }
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> start =
        admin.listOffsets(earliest).all().get(15, TimeUnit.SECONDS);
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
        admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(15, TimeUnit.SECONDS);
    Map<String, Long> messages = new HashMap<>();
    Map<String, Long> lag = new HashMap<>();
    topics.forEach(t -> messages.put(t, 0L));
    consumed.forEach(t -> lag.put(t, 0L));
    for (TopicPartition tp : end.keySet()) {
      long e = end.get(tp).offset();
      long s = start.get(tp).offset();
      messages.merge(tp.topic(), Math.max(0, e - s), Long::sum);
      if (consumed.contains(tp.topic())) {
        OffsetAndMetadata c = committed.get(tp);
        long from = c == null ? s : Math.max(s, c.offset());
        lag.merge(tp.topic(), Math.max(0, e - from), Long::sum);
      }
    }
    return new Snapshot(messages, lag);
  }

  @Override
  public void close() {
    admin.close(java.time.Duration.ofSeconds(5));
  }
}
