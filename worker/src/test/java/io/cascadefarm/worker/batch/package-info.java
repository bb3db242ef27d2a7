/** Tests of the micro-batch former. */
package io.cascadefarm.worker.batch;
