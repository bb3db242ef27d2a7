/** Worker metrics (Micrometer) and the tiny HTTP endpoint that serves them to Prometheus. */
package io.cascadefarm.worker.metrics;
