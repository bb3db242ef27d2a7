package io.cascadefarm.dispatcher.ops;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Kafka is up when the cluster answers a describe-cluster call within 2 s. Not required for
 * readiness: with Kafka down the API still accepts jobs (202) and the relay publishes them later.
 */
public final class KafkaProbe implements ReadinessProbe, AutoCloseable {
  private final Admin admin;

  public KafkaProbe(String bootstrapServers) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "farm-dispatcher-readiness");
    this.admin = Admin.create(p);
  }

  @Override
  public String name() {
    return "kafka";
  }

  /** Kafka down is a documented degraded mode (jobs wait in the outbox, 202), not unreadiness. */
  @Override
  public boolean required() {
    return false;
  }

  @Override
  public void check() throws Exception {
    admin
        .describeCluster(new DescribeClusterOptions().timeoutMs(2000))
        .nodes()
        .get(3, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    admin.close();
  }
}
