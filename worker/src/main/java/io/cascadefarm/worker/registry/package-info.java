/**
 * The worker's side of the workers registry: its heartbeat row, the operator's drain and release,
 * and the automatic quarantine rule ({@link io.cascadefarm.worker.registry.QuarantineRule}).
 */
package io.cascadefarm.worker.registry;
