/** Tests of the metrics endpoint. */
package io.cascadefarm.worker.metrics;
