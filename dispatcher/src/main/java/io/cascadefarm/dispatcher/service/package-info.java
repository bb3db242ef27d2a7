/**
 * The API's use cases behind the HTTP layer: submit, look up, page, cancel and retry jobs and
 * batches against the {@link io.cascadefarm.common.port.JobStore} port, with store failures turned
 * into 503 answers.
 */
package io.cascadefarm.dispatcher.service;
