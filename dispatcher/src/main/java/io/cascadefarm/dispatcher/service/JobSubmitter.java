package io.cascadefarm.dispatcher.service;

import io.cascadefarm.common.config.ApiLimits;
import io.cascadefarm.common.contract.BatchContract;
import io.cascadefarm.common.contract.JobContract;
import io.cascadefarm.common.digest.Sha256;
import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.port.BatchSummary;
import io.cascadefarm.common.port.JobListing;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.port.NewBatch;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.common.port.Submission;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.api.BodyReaders;
import io.cascadefarm.dispatcher.api.ErrorScope;
import io.cascadefarm.dispatcher.api.FieldErrors;
import io.cascadefarm.dispatcher.api.NdjsonLines;
import io.cascadefarm.dispatcher.api.ParamsMerger;
import io.cascadefarm.dispatcher.api.ParsedBatch;
import io.cascadefarm.dispatcher.tenant.TenantAdmission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Accepts jobs: reads and validates the body, merges batch defaults, resolves every default with
 * {@link JobDefaults} (including the seed), and inserts everything with one store call. Nothing is
 * stored when any job is invalid, unless the caller asked for partial acceptance.
 */
public final class JobSubmitter {
  private static final LongSupplier SEEDS = () -> ThreadLocalRandom.current().nextLong();
  private final JobStore store;
  private final BodyReaders readers;
  private final int maxJobs;
  private final UploadChecker uploads;
  private final int maxAttempts;
  private final BatchKeyCache cache;
  private final Runnable onAccepted;
  private final TenantAdmission admission;
  private JobListing listing;
  private WebhookUrls webhookUrls = WebhookUrls.unchecked();
  private FinetuneGate finetune = FinetuneGate.closed();

  public JobSubmitter(
      JobStore store,
      UploadChecker uploads,
      ApiLimits limits,
      int maxAttempts,
      BatchKeyCache cache,
      Runnable onAccepted) {
    this(store, uploads, limits, maxAttempts, cache, onAccepted, TenantAdmission.unlimited());
  }

  /** With per-tenant limits: {@code admission} may refuse a valid submit with 429. */
  public JobSubmitter(
      JobStore store,
      UploadChecker uploads,
      ApiLimits limits,
      int maxAttempts,
      BatchKeyCache cache,
      Runnable onAccepted,
      TenantAdmission admission) {
    this.admission = admission;
    this.store = store;
    this.readers = new BodyReaders(limits);
    this.maxJobs = limits.maxJobsPerBatch();
    this.uploads = uploads;
    this.maxAttempts = maxAttempts;
    this.cache = cache;
    this.onAccepted = onAccepted;
  }

  /**
   * Issue 12's parts of a submit: where a batch's envelope settings are stored ({@code listing},
   * null: not stored) and how webhook URLs are checked. Called once, before the first submit.
   */
  public JobSubmitter withScale(JobListing listing, WebhookUrls webhookUrls) {
    this.listing = listing;
    this.webhookUrls = webhookUrls;
    return this;
  }

  /** Who may submit fine-tuning jobs (default: nobody). Called once, before the first submit. */
  public JobSubmitter withFinetuneGate(FinetuneGate gate) {
    this.finetune = gate;
    return this;
  }

  /** POST /v1/jobs by a key holding {@code scopes} (fine-tuning kinds need admin). */
  public Submission submitJob(
      byte[] body, String idempotencyKey, String tenant, java.util.Set<String> scopes) {
    checkIdempotencyKey(idempotencyKey);
    JobParams params = readers.readJob(body);
    finetune.check(params, scopes);
    webhookUrls.check(params.webhookUrl(), "webhook_url");
    FieldErrors errors = new FieldErrors();
    Map<String, String> pins =
        uploads.check(List.of(params), i -> "", i -> ErrorScope.request(errors), tenant);
    if (!errors.isEmpty()) {
      throw errors.toException();
    }
    JobParams resolved = pin(JobDefaults.resolve(params, SEEDS), pins);
    NewJob job = new NewJob(Ids.next(), tenant, resolved, maxAttempts);
    String hash = idempotencyKey == null ? null : Sha256.hex(body);
    admission.admit(tenant, 1);
    Submission s = StoreGuard.call("submit", () -> store.submit(job, idempotencyKey, hash));
    if (!s.replayed()) {
      admission.accepted(tenant, 1);
      cache.put(s.job().id(), resolved.batchKey());
      onAccepted.run();
    }
    return s;
  }

  /** POST /v1/batches (JSON envelope or NDJSON). */
  public Accepted submitBatch(
      byte[] body, boolean ndjson, boolean partial, String tenant, String idempotencyKey) {
    if (ndjson) {
      return submitNdjson(NdjsonLines.of(body, maxJobs), partial, tenant, idempotencyKey);
    }
    return submitParsed(
        () -> readers.readBatch(body), Sha256.hex(body), false, partial, tenant, idempotencyKey);
  }

  /** POST /v1/batches with an NDJSON body split into lines while it arrived. */
  public Accepted submitNdjson(
      NdjsonLines lines, boolean partial, String tenant, String idempotencyKey) {
    return submitParsed(
        () -> readers.readNdjson(lines), lines.sha256(), true, partial, tenant, idempotencyKey);
  }

  private Accepted submitParsed(
      java.util.function.Supplier<ParsedBatch> read,
      String bodySha,
      boolean ndjson,
      boolean partial,
      String tenant,
      String idempotencyKey) {
    checkIdempotencyKey(idempotencyKey);
    UUID batchId = Ids.next();
    String hash = null;
    if (idempotencyKey != null) {
      batchId = BatchIdempotency.batchId(tenant, idempotencyKey);
      hash = bodySha + (ndjson ? "/ndjson" : "/json") + (partial ? "/partial" : "");
      Optional<BatchSummary> earlier = BatchIdempotency.replay(store, batchId, tenant, hash);
      if (earlier.isPresent()) {
        return new Accepted(earlier.get(), new FieldErrors(), true);
      }
    }
    ParsedBatch parsed = read.get();
    FieldErrors errors = parsed.errors();
    if (errors.hasRequestLevelErrors()) {
      throw errors.toException();
    }
    List<JobParams> merged = new ArrayList<>(parsed.jobs().size());
    for (int i = 0; i < parsed.jobs().size(); i++) {
      JobParams raw = parsed.jobs().get(i);
      JobParams m =
          raw == null || parsed.isBad(i) ? null : ParamsMerger.merge(raw, parsed.defaults());
      if (m != null) {
        m = BatchContract.apply(m, parsed.envelope(), parsed.prefix(i), parsed.scope(i));
        JobContract.checkRules(m, parsed.prefix(i), parsed.scope(i));
        if (m.kind() != null && m.kind().isFinetune()) {
          String p = parsed.prefix(i);
          parsed
              .scope(i)
              .add(
                  p.isEmpty() ? "kind" : p + ".kind",
                  "kind "
                      + m.kind().wire()
                      + " is not accepted in batches: submit it alone with POST /v1/jobs");
        }
      }
      merged.add(m);
    }
    if (parsed.envelope().webhookUrl() != null) {
      webhookUrls.check(parsed.envelope().webhookUrl(), "webhook_url");
    }
    webhookUrls.checkAll(merged, parsed::prefix, parsed::scope);
    Map<String, String> pins = uploads.check(merged, parsed::prefix, parsed::scope, tenant);
    if (!errors.isEmpty() && !partial) {
      throw errors.toException();
    }
    List<NewJob> jobs = new ArrayList<>(merged.size());
    for (int i = 0; i < merged.size(); i++) {
      if (merged.get(i) != null && !parsed.isBad(i)) {
        jobs.add(
            new NewJob(
                Ids.next(),
                tenant,
                pin(JobDefaults.resolve(merged.get(i), SEEDS), pins),
                maxAttempts));
      }
    }
    if (jobs.isEmpty()) {
      throw errors.isEmpty()
          ? ApiException.invalidField("jobs", "no jobs in the batch")
          : errors.toException();
    }
    Map<String, Object> metadata = parsed.metadata() == null ? Map.of() : parsed.metadata();
    if (hash != null) {
      metadata = new HashMap<>(metadata);
      metadata.put(BatchIdempotency.HASH_KEY, hash);
    }
    NewBatch batch = new NewBatch(batchId, tenant, jobs, metadata);
    admission.admit(tenant, jobs.size());
    if (listing != null && !parsed.envelope().isEmpty()) {
      UUID id = batchId;
      StoreGuard.call(
          "save batch options",
          () -> {
            listing.saveBatchOptions(id, tenant, parsed.envelope(), java.time.Instant.now());
            return null;
          });
    }
    BatchSummary summary;
    try {
      summary = StoreGuard.call("submit batch", () -> store.submitBatch(batch));
    } catch (ApiException e) {
      // a concurrent request with the same key may have inserted the batch first
      if (hash == null) {
        throw e;
      }
      String h = hash;
      summary = BatchIdempotency.replay(store, batchId, tenant, h).orElseThrow(() -> e);
      return new Accepted(summary, new FieldErrors(), true);
    }
    admission.accepted(tenant, jobs.size());
    jobs.forEach(j -> cache.put(j.id(), j.params().batchKey()));
    onAccepted.run();
    return new Accepted(summary, errors, false);
  }

  /**
   * A stored batch plus the jobs left out under partial acceptance; {@code replayed} when an
   * earlier request with the same Idempotency-Key and body created it (its rejections are not
   * repeated).
   */
  public record Accepted(BatchSummary summary, FieldErrors rejected, boolean replayed) {}

  /** Pins each LoRA of {@code p} to the SHA-256 its name stood for when the job was accepted. */
  static JobParams pin(JobParams p, Map<String, String> pins) {
    if (p.loras().isEmpty()) {
      return p;
    }
    return p.withLoras(
        p.loras().stream().map(l -> l.pinned(pins.getOrDefault(l.name(), l.sha256()))).toList());
  }

  private static void checkIdempotencyKey(String key) {
    if (key == null) {
      return;
    }
    if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 32 && c < 127)) {
      throw ApiException.invalidField(
          "Idempotency-Key", "must be 1 to 255 visible ASCII characters");
    }
  }
}
