package io.cascadefarm.infra.kafka;

import io.cascadefarm.common.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the farm's topics if missing: jobs with {@code partitions} partitions (default 12 from
 * {@code farm.kafka.job-partitions}), events and the retry lane with the same count, the
 * dead-letter topic with one. Replication uses the broker default. Existing topics are left as they
 * are. Returns once all four topics can be described (new topics take a moment to reach the
 * broker's metadata).
 */
public final class KafkaTopics {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private KafkaTopics() {}

  /**
   * Ensures the farm's topics (jobs, events, dead letters, retry and training lanes) exist; returns
   * the names it created.
   */
  public static List<String> ensure(String bootstrapServers, Topics topics, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "farm.kafka.job-partitions must be >= 1, got " + partitions);
    }
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    try (Admin admin = Admin.create(p)) {
      Set<String> existing =
          admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> wanted = new ArrayList<>();
      addIfMissing(wanted, existing, topics.jobs(), partitions);
      addIfMissing(wanted, existing, topics.events(), partitions);
      addIfMissing(wanted, existing, topics.retries(), partitions);
      addIfMissing(wanted, existing, topics.high(), partitions);
      addIfMissing(wanted, existing, topics.low(), partitions);
      addIfMissing(wanted, existing, topics.train(), partitions);
      addIfMissing(wanted, existing, topics.deadLetter(), 1);
      List<String> created = new ArrayList<>();
      for (NewTopic t : wanted) {
        if (create(admin, t)) {
          created.add(t.name());
        }
      }
      awaitVisible(
          admin,
          List.of(
              topics.jobs(),
              topics.events(),
              topics.deadLetter(),
              topics.retries(),
              topics.high(),
              topics.low(),
              topics.train()));
      return created;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot create Kafka topics at " + bootstrapServers + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating Kafka topics", e);
    }
  }

  private static void addIfMissing(
      List<NewTopic> wanted, Set<String> existing, String name, int n) {
    if (!existing.contains(name)) {
      wanted.add(new NewTopic(name, Optional.of(n), Optional.empty()));
    }
  }

  /** New topics reach the broker's metadata a little after creation; wait until they describe. */
  private static void awaitVisible(Admin admin, List<String> names)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      try {
        admin.describeTopics(names).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private static boolean create(Admin admin, NewTopic topic)
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      admin.createTopics(List.of(topic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false; // another process created it meanwhile
      }
      throw e;
    }
  }
}
