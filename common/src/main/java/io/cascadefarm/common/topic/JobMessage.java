package io.cascadefarm.common.topic;

import java.util.UUID;

/**
 * The value of a record on the jobs topic (the key is the job id). It carries only what a worker
 * needs to group jobs before claiming them; the job itself is read from the store at claim time.
 */
public record JobMessage(UUID jobId, String batchKey) {}
