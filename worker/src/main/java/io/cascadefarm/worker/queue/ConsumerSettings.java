package io.cascadefarm.worker.queue;

import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.topic.WorkerClientIds;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Kafka consumer properties of a worker: manual commits, small fetches (at most two batches per
 * poll so idle workers are not starved by a hoarding one), cooperative rebalancing, and a 15 s
 * session timeout so a killed worker's partitions move on quickly.
 */
public final class ConsumerSettings {
  private ConsumerSettings() {}

  public static Properties of(WorkerConfig c) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka().bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, c.consumerGroup());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, WorkerClientIds.of(c.workerId()));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(2 * c.batchSize()));
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "15000");
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
    p.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }
}
