/**
 * The job contract: every field of a job declared once ({@link JobContract}) with its type, bounds,
 * default and description. The dispatcher reads and checks request bodies with it, the worker
 * checks stored jobs with it again before rendering, {@link io.cascadefarm.common.job.JobDefaults}
 * fills defaults from it, and the API's OpenAPI schema of a job is generated from it.
 */
package io.cascadefarm.common.contract;
