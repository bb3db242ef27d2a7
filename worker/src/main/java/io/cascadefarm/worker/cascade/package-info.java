/**
 * The real {@link io.cascadefarm.common.port.Renderer}: adapts farm jobs to the cascade module's
 * batched pipeline and maps its cancellations and failures back.
 */
package io.cascadefarm.worker.cascade;
