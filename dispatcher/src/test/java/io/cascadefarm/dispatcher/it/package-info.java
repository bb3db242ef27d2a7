/**
 * Integration tests and the benchmark of the dispatcher on the real embedded Kafka, PostgreSQL and
 * S3.
 */
package io.cascadefarm.dispatcher.it;
