package io.cascadefarm.common.job;

/** A LoRA applied to a job: the name it was uploaded under and the merge strength. */
public record LoraRef(String name, double strength) {}
