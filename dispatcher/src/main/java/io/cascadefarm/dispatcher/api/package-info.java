/**
 * Reading and validating request bodies: streaming JSON and NDJSON job readers that collect every
 * bad field with its path, and the cross-field rules of a job.
 */
package io.cascadefarm.dispatcher.api;
