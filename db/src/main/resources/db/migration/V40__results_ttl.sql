-- Results lifecycle (farm.results.ttl): the dispatcher's sweeper looks for succeeded jobs whose
-- result is still stored, oldest first, deletes the objects and then adds "expired_at" to the
-- job's result JSON (the row and the result metadata stay). This partial index holds exactly the
-- rows the sweeper may still have to visit, so a farm with millions of expired jobs stays cheap
-- to sweep, and it costs nothing for queued/running/failed jobs.
CREATE INDEX jobs_results_stored_idx ON jobs (finished_at)
    WHERE status = 'succeeded' AND result IS NOT NULL AND NOT jsonb_exists(result, 'expired_at');
