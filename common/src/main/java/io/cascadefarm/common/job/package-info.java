/**
 * The job domain: jobs, their parameters and results, and the lifecycle state machine. Free of
 * infrastructure imports.
 */
package io.cascadefarm.common.job;
