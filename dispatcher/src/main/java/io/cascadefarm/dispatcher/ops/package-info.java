/** Operations: Prometheus metrics and the readiness probes behind /readyz. */
package io.cascadefarm.dispatcher.ops;
