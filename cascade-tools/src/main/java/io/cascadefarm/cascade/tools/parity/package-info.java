/**
 * Golden-fixture parity harness shared by tests and {@code farm net run}: fixture parsing, weight
 * resolution (file, {@code --weights} override, hashinit formula + bnstats), pluggable {@link
 * io.cascadefarm.cascade.tools.parity.FixtureAdapter}s found with {@link java.util.ServiceLoader},
 * output writing and the relative-error comparator.
 */
package io.cascadefarm.cascade.tools.parity;
