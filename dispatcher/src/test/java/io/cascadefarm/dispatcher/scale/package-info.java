/**
 * Issue 12 on the real embedded PostgreSQL, Kafka and S3: webhooks, listing, bulk results, queue
 * estimates.
 */
package io.cascadefarm.dispatcher.scale;
