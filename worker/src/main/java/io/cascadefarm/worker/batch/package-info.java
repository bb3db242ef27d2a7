/** Micro-batching: groups waiting messages with equal batch keys into one render call. */
package io.cascadefarm.worker.batch;
