package io.cascadefarm.common.config;

import io.cascadefarm.common.topic.Topics;
import java.util.List;

/** How to reach Kafka and which topics to use; shared by the dispatcher and workers. */
public record KafkaSettings(String bootstrapServers, Topics topics, int jobPartitions) {
  public static final ConfigKey BOOTSTRAP =
      new ConfigKey("farm.kafka.bootstrap-servers", "localhost:9092", "Kafka bootstrap servers");
  public static final ConfigKey TOPIC_PREFIX =
      new ConfigKey(
          "farm.kafka.topic-prefix",
          "farm",
          "Prefix of the topics <p>.jobs, <p>.jobs.retry, <p>.jobs.dlq, <p>.events");
  public static final ConfigKey PARTITIONS =
      new ConfigKey(
          "farm.kafka.job-partitions",
          "12",
          "Partitions of the jobs topic (and of its retry lane and the events topic) when created");
  public static final List<ConfigKey> KEYS = List.of(BOOTSTRAP, TOPIC_PREFIX, PARTITIONS);

  public static KafkaSettings from(ConfigSource c) {
    return new KafkaSettings(
        c.get(BOOTSTRAP), Topics.withPrefix(c.get(TOPIC_PREFIX)), c.getInt(PARTITIONS));
  }
}
