/** The results lifecycle: the sweeper that deletes results older than {@code farm.results.ttl}. */
package io.cascadefarm.dispatcher.retention;
