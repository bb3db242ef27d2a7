package io.cascadefarm.cascade.tools.parity;

/**
 * Service-provider interface: runs one kind of fixture. Implementations are listed in {@code
 * META-INF/services/io.cascadefarm.cascade.tools.parity.FixtureAdapter} (one class name per line)
 * and must have a public no-arg constructor. Most networks extend {@link CallFixtureAdapter};
 * samplers implement {@link #run} directly.
 */
public interface FixtureAdapter {

  /** Whether this adapter can run the fixture (usually: {@link Fixture#network()} equals X). */
  boolean accepts(Fixture fixture);

  /** Tie-breaker when several adapters accept a fixture (highest wins; default 0). */
  default int priority() {
    return 0;
  }

  /** Runs the fixture and puts every output under the key the fixture names. */
  void run(FixtureContext context, FixtureOutputs outputs) throws Exception;
}
