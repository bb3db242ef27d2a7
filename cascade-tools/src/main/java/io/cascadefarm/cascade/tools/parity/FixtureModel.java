package io.cascadefarm.cascade.tools.parity;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** A network built from a fixture's config and bound to its weights, able to execute calls. */
public interface FixtureModel extends AutoCloseable {

  /**
   * Executes one call. Returns one entry per {@link FixtureCall#outputs()} position (null where the
   * official method returns None); arrays may live in {@link CallArgs#manager()}.
   */
  List<NDArray> call(FixtureCall call, CallArgs args) throws Exception;

  @Override
  default void close() throws Exception {}
}
