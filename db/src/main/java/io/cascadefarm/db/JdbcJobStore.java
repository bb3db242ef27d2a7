package io.cascadefarm.db;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.job.TransitionRecord;
import io.cascadefarm.common.port.ApiKey;
import io.cascadefarm.common.port.ApiKeyStore;
import io.cascadefarm.common.port.BatchSummary;
import io.cascadefarm.common.port.ClaimedJob;
import io.cascadefarm.common.port.Completion;
import io.cascadefarm.common.port.FailOutcome;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.port.LeaseState;
import io.cascadefarm.common.port.LimitedSubmits;
import io.cascadefarm.common.port.NewBatch;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.common.port.OutboxMessage;
import io.cascadefarm.common.port.Submission;
import io.cascadefarm.common.port.TenantLimits;
import io.cascadefarm.common.port.TenantUsage;
import io.cascadefarm.common.topic.JobMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The PostgreSQL {@link JobStore}, {@link ApiKeyStore} and tenant-limit store: a facade over one
 * class per concern, which hold all the SQL besides the migrations.
 *
 * <ul>
 *   <li>{@link SubmitTable}: jobs, batches, idempotency keys and their outbox rows on submit;
 *   <li>{@link JobReads}: jobs, batches and transition history;
 *   <li>{@link LeaseWrites}: a worker's fenced writes (claim, heartbeat, progress, complete);
 *   <li>{@link UserCommands}: cancel and retry; {@link LeaseReaper}: expired leases;
 *   <li>{@link OutboxTable}: the relay's rows; {@link TenantLimitTable}; {@link ApiKeyTable}.
 * </ul>
 *
 * <p>Every state change is one statement built by {@link Move}, a conditional update following the
 * state machine that logs the transition and keeps the outbox in step, so a stale worker's write
 * matches no row and changes nothing. Timestamps come from the injected {@link Clock} (truncated to
 * microseconds, PostgreSQL's precision), never from {@code now()}, so tests can move time and
 * several hosts agree with the {@code now} the reaper and relay pass in. Unreachable database:
 * {@link StoreUnavailableException}; other SQL failures: {@link StoreException}.
 */
public final class JdbcJobStore implements JobStore, ApiKeyStore, TenantUsage, LimitedSubmits {
  /** See {@link LeaseWrites#CLAIM_CLOCK_TOLERANCE}. */
  static final Duration CLAIM_CLOCK_TOLERANCE = LeaseWrites.CLAIM_CLOCK_TOLERANCE;

  private final Transactions tx;
  private final Clock clock;
  private final Duration outboxClaimTime;
  private final SubmitTable submits;
  private final JobReads reads;
  private final LeaseWrites leases;
  private final UserCommands commands;
  private final LeaseReaper reaper;
  private final OutboxTable outbox;
  private final TenantLimitTable tenants;
  private final ApiKeyTable keys;

  /** A store on the system UTC clock; a relay's claimed outbox rows come back after 30 s. */
  public JdbcJobStore(DataSource dataSource) {
    this(dataSource, Clock.systemUTC(), Duration.ofSeconds(30));
  }

  /**
   * @param outboxClaimTime how long {@link #pendingOutbox} hides the rows it returned; if they are
   *     not deleted by {@link #markPublished} in that time (relay crashed) they are due again
   */
  public JdbcJobStore(DataSource dataSource, Clock clock, Duration outboxClaimTime) {
    this(new Transactions(dataSource), clock, outboxClaimTime, null);
  }

  private JdbcJobStore(
      Transactions tx, Clock clock, Duration outboxClaimTime, TenantLimits limits) {
    this.tx = tx;
    this.clock = clock;
    this.outboxClaimTime = outboxClaimTime;
    this.submits = new SubmitTable(tx, clock, limits);
    this.reads = new JobReads(tx);
    this.leases = new LeaseWrites(tx, clock);
    this.commands = new UserCommands(tx, clock);
    this.reaper = new LeaseReaper(tx);
    this.outbox = new OutboxTable(tx, outboxClaimTime);
    this.tenants = new TenantLimitTable(tx);
    this.keys = new ApiKeyTable(tx, clock);
  }

  /**
   * This store (same pool and clock) with farm-wide tenant limits on submits: the {@code
   * tenant_limits} row of the tenant is locked first in every submit transaction, checked and taken
   * from, then the jobs are inserted ({@link TenantLimitGate}).
   */
  @Override
  public JdbcJobStore limitedBy(TenantLimits limits) {
    return new JdbcJobStore(tx, clock, outboxClaimTime, Objects.requireNonNull(limits));
  }

  // ---------------------------------------------------------------- submission and reads

  @Override
  public Submission submit(NewJob job, String idempotencyKey, String requestHash) {
    return submits.submit(job, idempotencyKey, requestHash);
  }

  @Override
  public BatchSummary submitBatch(NewBatch batch) {
    return submits.submitBatch(batch);
  }

  @Override
  public Optional<Job> find(UUID jobId, String tenant) {
    return reads.find(jobId, tenant);
  }

  @Override
  public Optional<Job> find(UUID jobId) {
    return reads.find(jobId, null);
  }

  @Override
  public Optional<BatchSummary> batch(UUID batchId, String tenant) {
    return reads.batch(batchId, tenant);
  }

  @Override
  public List<Job> listBatchJobs(
      UUID batchId, String tenant, JobStatus status, int limit, UUID after) {
    return reads.listBatchJobs(batchId, tenant, status, limit, after);
  }

  @Override
  public Optional<JobStatus> status(UUID jobId) {
    return reads.status(jobId);
  }

  @Override
  public List<TransitionRecord> history(UUID jobId) {
    return reads.history(jobId);
  }

  // ---------------------------------------------------------------- worker writes

  /** One statement: the UPDATE's RETURNING gives the lease and the claimed job. */
  @Override
  public Optional<Lease> claim(UUID jobId, String worker, Duration leaseTime) {
    return leases.claimAll(List.of(jobId), worker, leaseTime).stream()
        .findFirst()
        .map(ClaimedJob::lease);
  }

  @Override
  public List<ClaimedJob> claimAll(List<UUID> jobIds, String worker, Duration leaseTime) {
    return leases.claimAll(jobIds, worker, leaseTime);
  }

  @Override
  public boolean heartbeat(Lease lease, Duration leaseTime) {
    return !leases.heartbeatAll(List.of(lease), leaseTime).isEmpty();
  }

  @Override
  public Set<UUID> heartbeatAll(List<Lease> all, Duration leaseTime) {
    return leases.heartbeatAll(all, leaseTime);
  }

  @Override
  public boolean progress(Lease lease, JobProgress progress) {
    return leases.progress(lease, progress);
  }

  @Override
  public Map<UUID, LeaseState> sync(List<Lease> all, JobProgress progress) {
    return leases.sync(all, progress);
  }

  @Override
  public boolean succeed(Lease lease, JobResult result) {
    return !leases.succeedAll(List.of(new Completion(lease, result))).isEmpty();
  }

  @Override
  public Set<UUID> succeedAll(List<Completion> completions) {
    return leases.succeedAll(completions);
  }

  @Override
  public FailOutcome fail(Lease lease, JobError error, Duration backoff) {
    return leases.fail(lease, error, backoff);
  }

  @Override
  public boolean release(Lease lease, String reason) {
    return leases.release(lease, reason);
  }

  @Override
  public boolean releaseAfterOutage(Lease lease, JobError error, Duration delay) {
    return leases.releaseAfterOutage(lease, error, delay);
  }

  // ---------------------------------------------------------------- user commands

  @Override
  public boolean cancel(UUID jobId, String tenant) {
    return commands.cancel(jobId, tenant);
  }

  @Override
  public int cancelBatch(UUID batchId, String tenant) {
    return commands.cancelBatch(batchId, tenant);
  }

  @Override
  public int retry(UUID jobId, String tenant, boolean includeCancelled) {
    return commands.retry(jobId, tenant, includeCancelled);
  }

  @Override
  public int retryBatch(UUID batchId, String tenant, boolean includeCancelled) {
    return commands.retryBatch(batchId, tenant, includeCancelled);
  }

  // ---------------------------------------------------------------- reaper and relay

  @Override
  public List<UUID> reapExpiredLeases(Instant now, int limit) {
    return reaper.reap(now, limit);
  }

  @Override
  public List<OutboxMessage> pendingOutbox(Instant now, int limit) {
    return pendingJobs(now, limit).stream()
        .map(p -> new OutboxMessage(p.outboxId(), p.message().jobId()))
        .toList();
  }

  /**
   * Like {@link #pendingOutbox} but with each row's {@link JobMessage} (job id, batch key, and for
   * a retry the workers that claimed it before), so a relay publishes without reading each job.
   * Returned rows are hidden from other relays for the claim time; only {@link #markPublished}
   * deletes them.
   */
  public List<PendingJob> pendingJobs(Instant now, int limit) {
    return outbox.pending(now, limit);
  }

  @Override
  public void markPublished(List<Long> outboxIds) {
    outbox.markPublished(outboxIds);
  }

  // ---------------------------------------------------------------- tenants and API keys

  /** The tenant's queued and running jobs, as the V3 triggers count them (0 if none ever). */
  @Override
  public long unfinishedJobs(String tenant) {
    return tenants.unfinishedJobs(tenant);
  }

  @Override
  public ApiKey createKey(String tenant, String name, String keySha256) {
    return keys.create(tenant, name, keySha256);
  }

  @Override
  public List<ApiKey> listKeys() {
    return keys.list();
  }

  @Override
  public boolean revokeKey(UUID id) {
    return keys.revoke(id);
  }

  @Override
  public Optional<ApiKey> findKey(String keySha256) {
    return keys.find(keySha256);
  }
}
