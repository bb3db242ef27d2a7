-- Issue 13: the workers registry (WorkerTable) and API key scopes (ApiKeyScopeTable).
--
-- workers: one row per worker id, written by the worker itself every farm.worker.registry-interval
-- (an upsert that never touches the operator's columns hold/release_requests), read by the API.
-- A row whose last_heartbeat is older than farm.workers.gone-after is shown as gone; the
-- dispatcher deletes rows older than farm.workers.retention. Timestamps come from the writers'
-- clocks, as everywhere else.
CREATE TABLE workers (
    id                    text        PRIMARY KEY,
    host                  text        NOT NULL,
    pid                   bigint      NOT NULL,
    devices               jsonb       NOT NULL DEFAULT '[]'::jsonb,
    precision             text        NOT NULL,
    models                text[]      NOT NULL DEFAULT '{}',
    numerics_passed       boolean,                 -- NULL: self-check still running
    numerics_summary      text,
    current_jobs          uuid[]      NOT NULL DEFAULT '{}',
    succeeded             bigint      NOT NULL DEFAULT 0,
    failed                bigint      NOT NULL DEFAULT 0,
    consecutive_failures  integer     NOT NULL DEFAULT 0,
    -- what the worker reports: starting, active, draining, drained, quarantined, refused, stopped
    state                 text        NOT NULL,
    state_reason          text,
    state_since           timestamptz NOT NULL,
    started_at            timestamptz NOT NULL,
    last_heartbeat        timestamptz NOT NULL,
    -- the operator's side: 'drain' while an operator holds the worker out of service (NULL: none);
    -- release_requests counts POST /v1/workers/{id}/release, so a worker sees every release
    hold                  text        CHECK (hold IN ('drain')),
    hold_reason           text,
    release_requests      integer     NOT NULL DEFAULT 0
);
CREATE INDEX workers_heartbeat_idx ON workers (last_heartbeat);

-- Scopes of an API key: submit (create, cancel, retry, upload), read (look at the tenant's own
-- jobs and batches), admin (workers, every tenant's queues). Existing keys keep working: they
-- get submit and read.
ALTER TABLE api_keys ADD COLUMN scopes text[] NOT NULL DEFAULT '{submit,read}'
    CHECK (scopes <@ ARRAY['submit', 'read', 'admin']::text[]);
