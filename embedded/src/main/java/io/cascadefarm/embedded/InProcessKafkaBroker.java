package io.cascadefarm.embedded;

import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/** A {@link KafkaRaftServer} inside this JVM: fastest to start, cannot be killed abruptly. */
final class InProcessKafkaBroker implements KafkaBroker {
  private final Properties props;
  private KafkaRaftServer server;

  InProcessKafkaBroker(Properties props) {
    this.props = props;
  }

  @Override
  public void start() {
    server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
    server.startup();
  }

  @Override
  public void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  /** An in-process broker cannot be SIGKILLed; this is an orderly {@link #stop()}. */
  @Override
  public void kill() {
    stop();
  }

  @Override
  public boolean isAlive() {
    return server != null;
  }

  @Override
  public String diagnostics() {
    return "";
  }
}
