/**
 * Rendering one group of claimed jobs: claims with fencing leases, heartbeats, throttled progress
 * and cancellation checks, upload of results under deterministic keys, completion, classified
 * failures with backoff, dead-lettering and in-place retries of storage calls.
 */
package io.cascadefarm.worker.render;
