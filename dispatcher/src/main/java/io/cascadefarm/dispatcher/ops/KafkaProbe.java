package io.cascadefarm.dispatcher.ops;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Kafka is ready when the cluster answers a describe-cluster call within 2 s. */
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
