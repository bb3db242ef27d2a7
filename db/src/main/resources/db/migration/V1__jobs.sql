-- Cascade Farm job store: batches, jobs, their transition log, idempotency keys and the outbox.
-- Every timestamp is written by the application clock (JdbcJobStore), never by now(), so the
-- reaper and the relay compare like with like.

CREATE TABLE batches (
    id          uuid        PRIMARY KEY,
    tenant      text        NOT NULL,
    job_count   integer     NOT NULL CHECK (job_count >= 0),
    metadata    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL
);
CREATE INDEX batches_tenant_created_idx ON batches (tenant, created_at);

CREATE TABLE jobs (
    id                uuid        PRIMARY KEY,
    batch_id          uuid,       -- batches.id; no FK: only JdbcJobStore writes both, in one tx,
                                  -- and the FK trigger cost ~15% of a 10,000-job batch insert
    tenant            text        NOT NULL,
    status            text        NOT NULL
        CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    params            jsonb       NOT NULL,
    batch_key         text        NOT NULL,
    attempts          integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts      integer     NOT NULL CHECK (max_attempts >= 1),
    epoch             bigint      NOT NULL DEFAULT 0,
    lease_expires_at  timestamptz,
    not_before        timestamptz NOT NULL,
    worker            text,
    progress          jsonb,
    result            jsonb,
    error             jsonb,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz
);
-- keyset pagination of a batch (a status filter is applied on this index's rows)
CREATE INDEX jobs_batch_id_idx ON jobs (batch_id, id);
-- the lease reaper; partial, so inserting queued jobs does not maintain it
CREATE INDEX jobs_running_lease_idx ON jobs (status, lease_expires_at) WHERE status = 'running';

-- Every state change after creation (the creation itself is jobs.created_at; history() shows it
-- as the first record, so a batch insert writes no transition rows).
CREATE TABLE job_transitions (
    id           bigserial   PRIMARY KEY,
    job_id       uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    event        text        NOT NULL,
    from_status  text        NOT NULL,
    to_status    text        NOT NULL,
    at           timestamptz NOT NULL,
    worker       text,
    reason       text
);
CREATE INDEX job_transitions_job_idx ON job_transitions (job_id, id);

CREATE TABLE idempotency_keys (
    tenant        text        NOT NULL,
    key           text        NOT NULL,
    request_hash  text        NOT NULL,
    job_id        uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE
                              DEFERRABLE INITIALLY DEFERRED,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant, key)
);

-- Jobs to (re)publish on the jobs topic. A relay claims rows by pushing available_at into the
-- future (so a crashed relay's rows come back) and deletes them only after Kafka acknowledged.
CREATE TABLE outbox (
    id            bigserial   PRIMARY KEY,
    job_id        uuid        NOT NULL,
    available_at  timestamptz NOT NULL,
    claims        integer     NOT NULL DEFAULT 0
);
CREATE INDEX outbox_available_idx ON outbox (available_at, id);
CREATE INDEX outbox_job_idx ON outbox (job_id);

-- API keys for the authentication work: only the SHA-256 of a key is stored.
CREATE TABLE api_keys (
    id          uuid        PRIMARY KEY,
    tenant      text        NOT NULL,
    name        text        NOT NULL,
    key_sha256  text        NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant);
