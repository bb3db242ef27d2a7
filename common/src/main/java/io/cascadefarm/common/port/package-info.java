/**
 * Ports through which the farm's domain talks to infrastructure: job store, queue, object store,
 * renderer. Each has one real adapter elsewhere.
 */
package io.cascadefarm.common.port;
