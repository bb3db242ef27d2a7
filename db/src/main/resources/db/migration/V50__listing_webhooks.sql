-- Issue 12: listing (GET /v1/jobs, GET /v1/batches), labels, queue position, per-batch counts and
-- webhooks.
--
-- Priority, labels, webhook_url/webhook_events and preview_every of a job live in jobs.params
-- (declared in JobContract like every job field); the indexes below read them from there, so the
-- job insert paths (INSERT, COPY) are unchanged.

LOCK TABLE jobs IN SHARE ROW EXCLUSIVE MODE; -- no job changes between the backfill and the triggers

-- GET /v1/jobs: one tenant's jobs newest first, keyset on (created_at, id)
CREATE INDEX jobs_tenant_created_idx ON jobs (tenant, created_at, id);

-- ?label=key:value filters (params.labels @> {...}); partial: jobs without labels are not in it
CREATE INDEX jobs_labels_idx ON jobs USING gin ((params -> 'labels') jsonb_path_ops)
    WHERE params -> 'labels' <> '{}'::jsonb;

-- queue_position: queued jobs per lane in submit order (job ids are time-ordered UUIDv7). Only
-- queued rows are in it; a claim moves a row out.
CREATE INDEX jobs_queued_lane_idx ON jobs ((COALESCE(params ->> 'priority', 'normal')), id)
    WHERE status = 'queued';

-- GET /v1/batches: newest first, keyset on (created_at, id)
CREATE INDEX batches_tenant_created_id_idx ON batches (tenant, created_at, id);

-- A batch's settings besides its jobs (BatchContract): labels, default priority, batch webhook.
-- Written before the batch row itself (same id), so a batch never exists without them; a row
-- whose batch insert failed is never joined to anything.
CREATE TABLE batch_options (
    batch_id        uuid        PRIMARY KEY,
    tenant          text        NOT NULL,
    labels          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    priority        text,
    webhook_url     text,
    webhook_events  jsonb       NOT NULL DEFAULT '[]'::jsonb,
    created_at      timestamptz NOT NULL
);
CREATE INDEX batch_options_labels_idx ON batch_options USING gin (labels jsonb_path_ops);

-- Jobs per status of every batch, kept exact by the statement-level triggers below (like
-- tenant_limits in V3): listing and filtering batches by status never counts their jobs, and the
-- statement that finishes a batch's last job sees the batch complete (batch.completed webhooks,
-- below). A statement locks the rows of its batches in batch_id order.
CREATE TABLE batch_counts (
    batch_id   uuid   PRIMARY KEY,
    queued     bigint NOT NULL DEFAULT 0,
    running    bigint NOT NULL DEFAULT 0,
    succeeded  bigint NOT NULL DEFAULT 0,
    failed     bigint NOT NULL DEFAULT 0,
    cancelled  bigint NOT NULL DEFAULT 0
);

INSERT INTO batch_counts (batch_id, queued, running, succeeded, failed, cancelled)
SELECT batch_id,
       count(*) FILTER (WHERE status = 'queued'),
       count(*) FILTER (WHERE status = 'running'),
       count(*) FILTER (WHERE status = 'succeeded'),
       count(*) FILTER (WHERE status = 'failed'),
       count(*) FILTER (WHERE status = 'cancelled')
FROM jobs WHERE batch_id IS NOT NULL GROUP BY batch_id;

CREATE FUNCTION batch_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO batch_counts AS b (batch_id, queued, running, succeeded, failed, cancelled)
    SELECT batch_id,
           count(*) FILTER (WHERE status = 'queued'),
           count(*) FILTER (WHERE status = 'running'),
           count(*) FILTER (WHERE status = 'succeeded'),
           count(*) FILTER (WHERE status = 'failed'),
           count(*) FILTER (WHERE status = 'cancelled')
    FROM new_jobs WHERE batch_id IS NOT NULL GROUP BY batch_id ORDER BY batch_id
    ON CONFLICT (batch_id) DO UPDATE SET
        queued = b.queued + EXCLUDED.queued, running = b.running + EXCLUDED.running,
        succeeded = b.succeeded + EXCLUDED.succeeded, failed = b.failed + EXCLUDED.failed,
        cancelled = b.cancelled + EXCLUDED.cancelled;
    RETURN NULL;
END $$;

-- Webhooks (issue 12). A tenant's signing secret, and every delivery to make: queued by the
-- triggers on jobs in the same transaction as the transition that caused it (job.succeeded,
-- job.failed, job.cancelled of a job with a webhook_url; batch.completed when the statement moved
-- the last unfinished job of a batch with a batch webhook), sent by the dispatchers' webhook
-- sender (WebhookTable, WebhookSender): pending until a 2xx (succeeded), retried with exponential
-- backoff, dead-lettered (failed) once retrying has lasted farm.webhooks.retry-for.
CREATE TABLE webhook_secrets (
    tenant           text        PRIMARY KEY,
    secret           text        NOT NULL,
    previous_secret  text,
    rotated_at       timestamptz,
    created_at       timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
    id               bigserial   PRIMARY KEY,
    msg_id           text        NOT NULL UNIQUE,   -- the webhook-id header, same on every attempt
    tenant           text        NOT NULL,
    event            text        NOT NULL,
    url              text        NOT NULL,
    job_id           uuid,
    batch_id         uuid,
    payload          jsonb       NOT NULL,          -- the event as of the transition
    created_at       timestamptz NOT NULL,
    status           text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,          -- also the claim of a sender (pushed ahead)
    last_attempt_at  timestamptz,
    last_status      integer,
    last_error       text,
    delivered_at     timestamptz
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at, id)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_tenant_idx ON webhook_deliveries (tenant, status, id);

-- The deltas of one statement per batch (rows that changed status only), applied to
-- batch_counts; a batch whose last unfinished job this statement finished gets its
-- batch.completed delivery.
CREATE FUNCTION batch_counts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM batch_counts WHERE batch_id IN (
        SELECT n.batch_id FROM new_jobs n JOIN old_jobs o ON o.id = n.id
        WHERE n.batch_id IS NOT NULL AND n.status <> o.status)
    ORDER BY batch_id FOR UPDATE;
    WITH moved AS (
        SELECT n.batch_id, n.status, 1 AS d, n.updated_at AS at
        FROM new_jobs n JOIN old_jobs o ON o.id = n.id
        WHERE n.batch_id IS NOT NULL AND n.status <> o.status
        UNION ALL
        SELECT o.batch_id, o.status, -1, NULL
        FROM new_jobs n JOIN old_jobs o ON o.id = n.id
        WHERE o.batch_id IS NOT NULL AND n.status <> o.status),
    deltas AS (
        SELECT batch_id,
               coalesce(sum(d) FILTER (WHERE status = 'queued'), 0) AS q,
               coalesce(sum(d) FILTER (WHERE status = 'running'), 0) AS r,
               coalesce(sum(d) FILTER (WHERE status = 'succeeded'), 0) AS s,
               coalesce(sum(d) FILTER (WHERE status = 'failed'), 0) AS f,
               coalesce(sum(d) FILTER (WHERE status = 'cancelled'), 0) AS c,
               max(at) AS at
        FROM moved GROUP BY batch_id),
    upd AS (
        UPDATE batch_counts b SET
            queued = b.queued + d.q, running = b.running + d.r, succeeded = b.succeeded + d.s,
            failed = b.failed + d.f, cancelled = b.cancelled + d.c
        FROM deltas d WHERE b.batch_id = d.batch_id
        RETURNING b.batch_id, b.queued, b.running, b.succeeded, b.failed, b.cancelled,
                  d.q + d.r AS unfinished_delta, d.at)
    INSERT INTO webhook_deliveries
        (msg_id, tenant, event, url, batch_id, payload, created_at, next_attempt_at)
    SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), o.tenant, 'batch.completed',
           o.webhook_url, u.batch_id,
           jsonb_build_object(
               'type', 'batch.completed',
               'timestamp', u.at,
               'data', jsonb_build_object(
                   'id', u.batch_id,
                   'status', 'completed',
                   'job_count', bt.job_count,
                   'counts', jsonb_build_object(
                       'queued', u.queued, 'running', u.running, 'succeeded', u.succeeded,
                       'failed', u.failed, 'cancelled', u.cancelled),
                   'labels', o.labels,
                   'metadata', bt.metadata - 'idempotency_request_sha256',
                   'created_at', bt.created_at)),
           u.at, u.at
    FROM upd u
    JOIN batch_options o ON o.batch_id = u.batch_id
    JOIN batches bt ON bt.id = u.batch_id
    WHERE u.unfinished_delta < 0 AND u.queued = 0 AND u.running = 0
      AND o.webhook_url IS NOT NULL AND o.webhook_events @> '["batch.completed"]'::jsonb;
    RETURN NULL;
END $$;

-- job.succeeded / job.failed / job.cancelled of jobs with a webhook_url (filtered by
-- webhook_events when set), with the job as the transition left it.
CREATE FUNCTION webhook_job_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO webhook_deliveries
        (msg_id, tenant, event, url, job_id, batch_id, payload, created_at, next_attempt_at)
    SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), n.tenant, 'job.' || n.status,
           n.params ->> 'webhook_url', n.id, n.batch_id,
           jsonb_build_object(
               'type', 'job.' || n.status,
               'timestamp', n.updated_at,
               'data', jsonb_strip_nulls(jsonb_build_object(
                   'id', n.id,
                   'batch_id', n.batch_id,
                   'status', n.status,
                   'attempts', n.attempts,
                   'result', n.result,
                   'error', n.error,
                   'labels', n.params -> 'labels',
                   'metadata', n.params -> 'metadata',
                   'created_at', n.created_at,
                   'finished_at', n.finished_at))),
           n.updated_at, n.updated_at
    FROM new_jobs n JOIN old_jobs o ON o.id = n.id
    WHERE n.status <> o.status
      AND n.status IN ('succeeded', 'failed', 'cancelled')
      AND n.params ->> 'webhook_url' IS NOT NULL
      AND (coalesce(jsonb_array_length(n.params -> 'webhook_events'), 0) = 0
           OR (n.params -> 'webhook_events') @> to_jsonb(ARRAY['job.' || n.status]));
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_webhook_events AFTER UPDATE ON jobs
    REFERENCING OLD TABLE AS old_jobs NEW TABLE AS new_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION webhook_job_events();

CREATE FUNCTION batch_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE batch_counts b SET
        queued = b.queued - d.q, running = b.running - d.r, succeeded = b.succeeded - d.s,
        failed = b.failed - d.f, cancelled = b.cancelled - d.c
    FROM (SELECT batch_id,
                 count(*) FILTER (WHERE status = 'queued') AS q,
                 count(*) FILTER (WHERE status = 'running') AS r,
                 count(*) FILTER (WHERE status = 'succeeded') AS s,
                 count(*) FILTER (WHERE status = 'failed') AS f,
                 count(*) FILTER (WHERE status = 'cancelled') AS c
          FROM old_jobs WHERE batch_id IS NOT NULL GROUP BY batch_id) d
    WHERE b.batch_id = d.batch_id;
    RETURN NULL;
END $$;

CREATE FUNCTION batch_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM batch_counts;
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_batch_counts_inserted AFTER INSERT ON jobs
    REFERENCING NEW TABLE AS new_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION batch_counts_inserted();
CREATE TRIGGER jobs_batch_counts_updated AFTER UPDATE ON jobs
    REFERENCING OLD TABLE AS old_jobs NEW TABLE AS new_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION batch_counts_updated();
CREATE TRIGGER jobs_batch_counts_deleted AFTER DELETE ON jobs
    REFERENCING OLD TABLE AS old_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION batch_counts_deleted();
CREATE TRIGGER jobs_batch_counts_truncated AFTER TRUNCATE ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION batch_counts_truncated();
