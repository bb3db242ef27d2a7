/**
 * Per-tenant limits on submission: a cap on unfinished (queued or running) jobs and a token-bucket
 * submit rate counted in jobs, both answered 429 with Retry-After and the limit's name.
 */
package io.cascadefarm.dispatcher.tenant;
