/**
 * Test-only fault injection (enabled by {@code farm.worker.fault-injection=true}); never enable it
 * in production.
 */
package io.cascadefarm.worker.fault;
