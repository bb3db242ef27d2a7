-- the per-tenant queued-jobs quota counts a tenant's unfinished jobs on submit; partial, so
-- finished jobs (the bulk of the table) are not in it
CREATE INDEX jobs_tenant_unfinished_idx ON jobs (tenant) WHERE status IN ('queued', 'running');
