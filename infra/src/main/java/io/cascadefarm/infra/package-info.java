/**
 * Shared infrastructure adapters of the farm's ports: S3 object store and Kafka publishers, used by
 * the dispatcher, the workers and the CLI.
 */
package io.cascadefarm.infra;
