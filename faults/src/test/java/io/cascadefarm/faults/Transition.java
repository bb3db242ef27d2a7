package io.cascadefarm.faults;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code job_transitions}, as the audit reads it (event and status in wire form). */
record Transition(UUID job, String event, String to, String worker, String reason, Instant at) {}
