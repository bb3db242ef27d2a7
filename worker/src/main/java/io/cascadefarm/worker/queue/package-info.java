/**
 * The Kafka side of the worker: the poll loop that keeps polling (partitions paused) while a batch
 * renders, decodes job messages, and commits offsets only for settled messages.
 */
package io.cascadefarm.worker.queue;
