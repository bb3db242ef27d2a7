package io.cascadefarm.infra.kafka;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Creates the farm's one producer shape: idempotent, {@code acks=all}, String keys (job ids), JSON
 * byte values. Idempotence keeps broker-side retries from duplicating or reordering records of one
 * partition.
 */
public final class KafkaProducers {
  private KafkaProducers() {}

  /** Producer settings; callers may add or override entries before creating a producer. */
  public static Properties config(String bootstrapServers, String clientId) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("farm.kafka.bootstrap-servers must not be empty");
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
    return p;
  }

  public static Producer<String, byte[]> create(String bootstrapServers, String clientId) {
    return create(config(bootstrapServers, clientId));
  }

  public static Producer<String, byte[]> create(Properties config) {
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }
}
