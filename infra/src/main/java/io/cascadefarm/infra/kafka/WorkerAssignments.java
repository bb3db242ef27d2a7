package io.cascadefarm.infra.kafka;

import io.cascadefarm.common.topic.WorkerClientIds;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which worker consumes which partition of one topic (the retry lane), read from the workers'
 * consumer group (client ids {@link WorkerClientIds}). A read is kept for {@link #MAX_AGE} (a
 * failed read too, as an empty map), so a relay pass with many retries costs at most one describe
 * call. Only retries ask.
 */
public final class WorkerAssignments implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerAssignments.class);
  static final Duration MAX_AGE = Duration.ofSeconds(2);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private final Admin admin;
  private final String group;
  private final String topic;
  private final LongSupplier nanos;
  private Map<String, List<Integer>> last = Map.of();
  private long readAt;
  private boolean read;

  WorkerAssignments(Admin admin, String group, String topic, LongSupplier nanos) {
    this.admin = admin;
    this.group = group;
    this.topic = topic;
    this.nanos = nanos;
  }

  public static WorkerAssignments connect(String bootstrapServers, String group, String topic) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "farm-dispatcher-assignments");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    return new WorkerAssignments(Admin.create(p), group, topic, System::nanoTime);
  }

  /** Worker id to the partitions of the topic it consumes now (empty when unknown). */
  public synchronized Map<String, List<Integer>> current() {
    long now = nanos.getAsLong();
    if (!read || now - readAt >= MAX_AGE.toNanos()) {
      last = describe();
      readAt = now;
      read = true;
    }
    return last;
  }

  private Map<String, List<Integer>> describe() {
    try {
      ConsumerGroupDescription d =
          admin
              .describeConsumerGroups(List.of(group))
              .describedGroups()
              .get(group)
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Map<String, List<Integer>> out = new HashMap<>();
      for (MemberDescription m : d.members()) {
        WorkerClientIds.workerId(m.clientId())
            .ifPresent(
                w ->
                    out.put(
                        w,
                        m.assignment().topicPartitions().stream()
                            .filter(tp -> tp.topic().equals(topic))
                            .map(TopicPartition::partition)
                            .toList()));
      }
      return Map.copyOf(out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    } catch (Exception e) {
      LOG.warn("cannot read consumer group '{}' to steer retries: {}", group, e.toString());
      return Map.of();
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
