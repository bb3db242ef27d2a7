package io.cascadefarm.common.job;

/**
 * The model a {@code finetune_c}/{@code finetune_b} job registered: its name ({@code
 * <tenant>/<name>}, usable as a job's {@code model}) and the SHA-256 of its safetensors file.
 */
public record TrainedModel(String name, String sha256) {}
