package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base class of every network part. A subclass declares, in its constructor, its parameters and
 * buffers ({@link #param}, {@link #buffer}) and named children ({@link #child}); the resulting full
 * keys ({@link #namedParameters()}) equal the PyTorch {@code state_dict} keys of the official class
 * and are listed in {@code state_dict} order (own parameters, own buffers, then children). Nothing
 * is allocated until a {@link WeightBinder} binds weights.
 */
public abstract class Module {
  private final Map<String, Parameter> params = new LinkedHashMap<>();
  private final Map<String, Parameter> buffers = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();

  /** Declares a learnable parameter. */
  protected final Parameter param(String name, long... shape) {
    return register(params, new Parameter(name, shape, false));
  }

  /** Declares a buffer (e.g. BatchNorm running statistics). */
  protected final Parameter buffer(String name, long... shape) {
    return register(buffers, new Parameter(name, shape, true));
  }

  private Parameter register(Map<String, Parameter> map, Parameter p) {
    if (params.containsKey(p.name())
        || buffers.containsKey(p.name())
        || children.containsKey(p.name())) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + ": duplicate entry '" + p.name() + "'");
    }
    map.put(p.name(), p);
    return p;
  }

  /** Registers a named child module and returns it. */
  protected final <M extends Module> M child(String name, M module) {
    if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + ": duplicate entry '" + name + "'");
    }
    children.put(name, module);
    return module;
  }

  /** Direct children in registration order. */
  public Map<String, Module> children() {
    return Collections.unmodifiableMap(children);
  }

  /** All parameters and buffers under full dotted keys, in {@code state_dict} order. */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collect("", out);
    return out;
  }

  private void collect(String prefix, Map<String, Parameter> out) {
    params.forEach((n, p) -> out.put(prefix + n, p));
    buffers.forEach((n, p) -> out.put(prefix + n, p));
    children.forEach((n, m) -> m.collect(prefix + n + ".", out));
  }

  /**
   * Data type of the first parameter bound to a DJL array, i.e. the precision the network computes
   * its activations in (FLOAT32 unless converted to FLOAT16 as a whole; weights held by {@link
   * ScriptKernels} do not count: their layers take and return float32); FLOAT32 when nothing is.
   */
  public DataType dataType() {
    Parameter p = firstBound();
    return p == null ? DataType.FLOAT32 : p.array().getDataType();
  }

  /**
   * First bound parameter or buffer in {@code state_dict} order, found without building the key map
   * ({@link #dataType()} runs on every Stage C / Stage B forward).
   */
  private Parameter firstBound() {
    for (Parameter p : params.values()) {
      if (p.isBound() && !p.isScripted()) {
        return p;
      }
    }
    for (Parameter p : buffers.values()) {
      if (p.isBound() && !p.isScripted()) {
        return p;
      }
    }
    for (Module m : children.values()) {
      Parameter p = m.firstBound();
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  /**
   * Converts every bound float32 parameter and buffer to {@code type} (e.g. FLOAT16 for fp16
   * compute); the float32 arrays are closed, the new ones live in the same managers.
   */
  public void convertParameters(DataType type) {
    for (Parameter p : namedParameters().values()) {
      if (!p.isBound() || p.isScripted()) {
        continue;
      }
      NDArray old = p.array();
      if (old.getDataType() == DataType.FLOAT32 && type != DataType.FLOAT32) {
        p.set(old.toType(type, false));
        old.close();
      }
    }
  }

  /** {@code a} converted to {@code type} (same array if it already is; null stays null). */
  public static NDArray cast(NDArray a, DataType type) {
    return a == null ? null : a.toType(type, false);
  }

  /** Total number of elements over all parameters and buffers. */
  public long numel() {
    return namedParameters().values().stream().mapToLong(Parameter::numel).sum();
  }

  /** Finds a descendant by dotted path, e.g. {@code down_blocks.0.2}. */
  public Module find(String path) {
    Module m = this;
    for (String part : path.split("\\.")) {
      Module next = m.children.get(part);
      if (next == null) {
        throw new IllegalArgumentException("no submodule '" + path + "' (missing '" + part + "')");
      }
      m = next;
    }
    return m;
  }
}
