package io.cascadefarm.common.job;

/** The LoRA a {@code train_lora} job registered: its name and the SHA-256 of its file. */
public record TrainedLora(String name, String sha256) {}
