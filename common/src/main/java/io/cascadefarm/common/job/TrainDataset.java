package io.cascadefarm.common.job;

import java.util.List;

/**
 * A {@code train_lora} dataset: either uploaded images with captions, or one uploaded archive
 * ({@code POST /v1/datasets}) of {@code NNN.png} + {@code NNN.txt} pairs, webdataset-style.
 *
 * @param images uploaded images with captions (null when {@code archive} is given)
 * @param archive an archive key {@code uploads/<sha256>.zip} or {@code .tar} (null with images)
 */
public record TrainDataset(List<TrainImage> images, String archive) {
  public TrainDataset {
    images = images == null ? null : List.copyOf(images);
  }
}
