/**
 * Kafka adapters: job, dead-letter and event publishers on one idempotent producer, and topic
 * creation.
 */
package io.cascadefarm.infra.kafka;
