-- Farm-wide per-tenant limits, shared by every dispatcher on this database (JdbcJobStore.limitedBy):
-- one row per tenant holding its count of unfinished jobs and its submit token bucket.
--
-- unfinished is kept exact by the statement-level triggers below (INSERT, also for COPY; UPDATE;
-- DELETE; TRUNCATE), which add the rows that entered and subtract the rows that left
-- {queued, running}. A submit locks its tenant's row (SELECT .. FOR UPDATE) before it checks and
-- inserts, so concurrent submits of one tenant, from any dispatcher, see each other's jobs.
-- Each trigger writes its tenants' rows in tenant order (INSERT .. SELECT .. ORDER BY tenant), so
-- two statements that touch several tenants lock them in the same order.
--
-- tokens/refilled_at: the submit bucket; NULL tokens is a bucket never taken from (full).
-- refilled_at is written by the application clock, never by now(), and never moves backwards.

LOCK TABLE jobs IN SHARE ROW EXCLUSIVE MODE; -- no job changes between the backfill and the triggers

CREATE TABLE tenant_limits (
    tenant       text             PRIMARY KEY,
    unfinished   bigint           NOT NULL DEFAULT 0,
    tokens       double precision,
    refilled_at  timestamptz
);

INSERT INTO tenant_limits (tenant, unfinished)
SELECT tenant, count(*) FILTER (WHERE status IN ('queued', 'running'))
FROM jobs GROUP BY tenant;

CREATE FUNCTION tenant_limits_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tenant_limits AS l (tenant, unfinished)
    SELECT tenant, count(*) FROM new_jobs WHERE status IN ('queued', 'running')
    GROUP BY tenant ORDER BY tenant
    ON CONFLICT (tenant) DO UPDATE SET unfinished = l.unfinished + EXCLUDED.unfinished;
    RETURN NULL;
END $$;

CREATE FUNCTION tenant_limits_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- most updates (heartbeat, progress, claim, requeue) keep a job unfinished: no write at all
    INSERT INTO tenant_limits AS l (tenant, unfinished)
    SELECT tenant, sum(delta) FROM (
        SELECT tenant, 1 AS delta FROM new_jobs WHERE status IN ('queued', 'running')
        UNION ALL
        SELECT tenant, -1 AS delta FROM old_jobs WHERE status IN ('queued', 'running')) moved
    GROUP BY tenant HAVING sum(delta) <> 0 ORDER BY tenant
    ON CONFLICT (tenant) DO UPDATE SET unfinished = l.unfinished + EXCLUDED.unfinished;
    RETURN NULL;
END $$;

CREATE FUNCTION tenant_limits_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tenant_limits AS l (tenant, unfinished)
    SELECT tenant, -count(*) FROM old_jobs WHERE status IN ('queued', 'running')
    GROUP BY tenant ORDER BY tenant
    ON CONFLICT (tenant) DO UPDATE SET unfinished = l.unfinished + EXCLUDED.unfinished;
    RETURN NULL;
END $$;

CREATE FUNCTION tenant_limits_count_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tenant_limits SET unfinished = 0 WHERE unfinished <> 0;
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_count_inserted AFTER INSERT ON jobs
    REFERENCING NEW TABLE AS new_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION tenant_limits_count_inserted();
CREATE TRIGGER jobs_count_updated AFTER UPDATE ON jobs
    REFERENCING OLD TABLE AS old_jobs NEW TABLE AS new_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION tenant_limits_count_updated();
CREATE TRIGGER jobs_count_deleted AFTER DELETE ON jobs
    REFERENCING OLD TABLE AS old_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION tenant_limits_count_deleted();
CREATE TRIGGER jobs_count_truncated AFTER TRUNCATE ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION tenant_limits_count_truncated();

-- the quota now reads tenant_limits.unfinished instead of counting; every inserted job was an
-- entry in this partial index
DROP INDEX jobs_tenant_unfinished_idx;
