/**
 * Per-tenant limits on submission: a cap on unfinished (queued or running) jobs and a token-bucket
 * submit rate counted in jobs, both answered 429 with Retry-After and the limit's name. On
 * PostgreSQL both are farm-wide (kept by the store, shared by every dispatcher); with other stores
 * they are held in this process ({@link io.cascadefarm.dispatcher.tenant.AdmissionSetup}).
 */
package io.cascadefarm.dispatcher.tenant;
