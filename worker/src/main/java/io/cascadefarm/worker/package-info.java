/**
 * The render worker: consumes jobs from Kafka, claims them in the job store, renders compatible
 * jobs in one batched call, uploads the PNGs and completes the jobs under their fencing epoch.
 */
package io.cascadefarm.worker;
