/**
 * Tests of the measurement tools behind {@code farm bench net} and {@code farm net engine-info}.
 */
package io.cascadefarm.cascade.tools.bench;
