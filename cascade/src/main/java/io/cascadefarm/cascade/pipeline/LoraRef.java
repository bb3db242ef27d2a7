package io.cascadefarm.cascade.pipeline;

/** A LoRA to merge into Stage C: its name or file path and the merge strength. */
public record LoraRef(String name, double strength) {}
