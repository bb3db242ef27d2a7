/**
 * The fault-injection suite: workers (and, for one scenario, the dispatcher) run as separate OS
 * processes on private embedded Kafka, PostgreSQL and S3, and are killed, stopped or starved of
 * their services on purpose; every scenario checks that no job is lost, stuck or finished twice.
 */
package io.cascadefarm.faults;
