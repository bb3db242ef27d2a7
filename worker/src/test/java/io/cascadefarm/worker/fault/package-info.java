/** Tests of the test-only fault injection. */
package io.cascadefarm.worker.fault;
