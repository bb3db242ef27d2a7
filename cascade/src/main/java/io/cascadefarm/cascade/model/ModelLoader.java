package io.cascadefarm.cascade.model;

/** Builds one model variant from wherever its weights live. */
@FunctionalInterface
public interface ModelLoader {
  /** Loads {@code variant} ({@code tiny}, {@code lite} or {@code big}); never returns null. */
  CascadeModels load(String variant);
}
