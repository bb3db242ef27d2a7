package io.cascadefarm.common.job;

/** One training image: an upload key ({@code uploads/<sha256>.png}) and its caption. */
public record TrainImage(String image, String caption) {}
