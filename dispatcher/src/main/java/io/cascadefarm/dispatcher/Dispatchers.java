package io.cascadefarm.dispatcher;

import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.config.KafkaSettings;
import io.cascadefarm.db.Database;
import io.cascadefarm.db.JdbcJobStore;
import io.cascadefarm.db.JobCounts;
import io.cascadefarm.dispatcher.auth.AuthSetup;
import io.cascadefarm.dispatcher.events.KafkaEventSource;
import io.cascadefarm.dispatcher.ops.FarmStats;
import io.cascadefarm.dispatcher.ops.KafkaProbe;
import io.cascadefarm.dispatcher.relay.OutboxSource;
import io.cascadefarm.infra.kafka.KafkaPublishers;
import io.cascadefarm.infra.kafka.KafkaTopics;
import io.cascadefarm.infra.kafka.QueueStats;
import io.cascadefarm.infra.kafka.WorkerAssignments;
import io.cascadefarm.infra.s3.S3ObjectStore;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires a {@link Dispatcher} to the real adapters from its config: PostgreSQL ({@link Database},
 * migrated on start), S3 ({@link S3ObjectStore}), Kafka (job publisher, events consumer, readiness
 * probe, topics ensured). Kafka may be down at start: the dispatcher still starts and accepts jobs;
 * the relay publishes them once Kafka is back. PostgreSQL must come up within 60 s. Retries are
 * steered to another worker's partition by reading the workers' consumer group ({@code
 * farm.worker.group}).
 */
public final class Dispatchers {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatchers.class);

  /** How often farm_jobs and the queue gauges are refreshed. */
  static final long STATS_PERIOD_SECONDS = 30;

  private Dispatchers() {}

  /** A not yet started dispatcher that owns (and closes) every adapter it created. */
  public static Dispatcher fromConfig(DispatcherConfig config) {
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      Database db = Database.create(config.db());
      opened.add(db);
      db.migrate();
      S3ObjectStore objects =
          S3ObjectStore.connect(
              config.s3(), config.results().presignEndpoint(config.s3().endpoint()));
      opened.add(objects);
      KafkaSettings kafka = config.kafka();
      ensureTopics(kafka);
      KafkaPublishers publishers = KafkaPublishers.create(kafka, "farm-dispatcher");
      opened.add(publishers);
      WorkerAssignments assignments =
          WorkerAssignments.connect(
              kafka.bootstrapServers(), config.workerGroup(), kafka.topics().retries());
      opened.add(assignments);
      publishers.jobs().steeringRetriesBy(assignments::current);
      KafkaProbe probe = new KafkaProbe(kafka.bootstrapServers());
      opened.add(probe);
      JdbcJobStore store = db.jobStore();
      DispatcherPorts ports =
          DispatcherPorts.of(store, objects, publishers.jobs())
              .withOutboxSource(
                  (now, limit) ->
                      store.pendingJobs(now, limit).stream()
                          .map(
                              p ->
                                  new OutboxSource.Due(
                                      p.outboxId(),
                                      p.message().jobId(),
                                      p.message().batchKey(),
                                      p.message().triedBy(),
                                      p.message().priority()))
                          .toList())
              .withEvents(new KafkaEventSource(kafka.bootstrapServers(), kafka.topics().events()))
              .withProbe(probe)
              .withDeadLetters(publishers.deadLetters())
              .withResultRetention(db.resultRetention())
              .withTenants(AuthSetup.resolver(config.tenants(), store, db.keyScopes()));
      // closed in reverse order of opening: Kafka clients first, the pool last
      for (int i = opened.size() - 1; i >= 0; i--) {
        ports = ports.owning(opened.get(i));
      }
      Dispatcher dispatcher =
          new Dispatcher(
              config,
              ports,
              new io.cascadefarm.dispatcher.service.ScalePorts(
                  new io.cascadefarm.db.ListingQueries(db.dataSource()),
                  new io.cascadefarm.db.WebhookTable(db.dataSource()),
                  new io.cascadefarm.db.WorkerModelTable(db.dataSource())));
      QueueStats queueStats = QueueStats.connect(kafka.bootstrapServers());
      opened.add(queueStats);
      List<String> topics =
          List.of(
              kafka.topics().jobs(),
              kafka.topics().retries(),
              kafka.topics().high(),
              kafka.topics().low(),
              kafka.topics().deadLetter(),
              kafka.topics().events());
      List<String> consumed =
          List.of(
              kafka.topics().jobs(),
              kafka.topics().retries(),
              kafka.topics().high(),
              kafka.topics().low());
      JobCounts counts = new JobCounts(db.dataSource());
      FarmStats stats =
          new FarmStats(
                  dispatcher.metrics(),
                  counts::byStatus,
                  () -> {
                    QueueStats.Snapshot s =
                        queueStats.snapshot(topics, config.workerGroup(), consumed);
                    return List.of(s.messages(), s.lag());
                  },
                  topics,
                  consumed)
              .start(STATS_PERIOD_SECONDS);
      dispatcher.withAdmin(
          new io.cascadefarm.dispatcher.admin.AdminPorts(db.workers(), db.insights(), stats::lag));
      dispatcher.closeAlso(stats);
      dispatcher.closeAlso(queueStats);
      return dispatcher;
    } catch (RuntimeException e) {
      for (int i = opened.size() - 1; i >= 0; i--) {
        try {
          opened.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static void ensureTopics(KafkaSettings kafka) {
    try {
      KafkaTopics.ensure(kafka.bootstrapServers(), kafka.topics(), kafka.jobPartitions());
    } catch (RuntimeException e) {
      LOG.warn(
          "could not ensure Kafka topics now ({}); jobs are still accepted and published later",
          e.getMessage());
    }
  }
}
