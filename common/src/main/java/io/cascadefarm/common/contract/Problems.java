package io.cascadefarm.common.contract;

/** Where the contract reports a bad field: its path ({@code prior.shift}) and what is wrong. */
@FunctionalInterface
public interface Problems {
  void add(String field, String message);
}
