package io.cascadefarm.worker.train;

import io.cascadefarm.common.contract.JobContract;
import io.cascadefarm.common.contract.JobLimits;
import io.cascadefarm.common.dataset.DatasetArchive;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.TrainImage;
import io.cascadefarm.common.port.ObjectStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a training job's {@code dataset} from the object store: the listed uploads with their
 * captions, or the entries of the uploaded archive (with the limits of {@code POST /v1/datasets}).
 * A missing object or a bad archive is invalid input.
 */
final class TrainingDatasets {
  static final DatasetArchive.Limits ARCHIVE_LIMITS =
      new DatasetArchive.Limits(
          JobContract.MAX_DATASET_IMAGES, 20 << 20, JobLimits.CEILING.maxPromptChars(), 2L << 30);

  private TrainingDatasets() {}

  static List<TrainingData.Sample> load(ObjectStore objects, JobParams p) {
    List<TrainingData.Sample> out = new ArrayList<>();
    if (p.dataset().archive() != null) {
      byte[] bytes =
          objects
              .get(p.dataset().archive())
              .orElseThrow(
                  () ->
                      new TrainingFailure(
                          "invalid_input",
                          "dataset archive " + p.dataset().archive() + " is missing"));
      try {
        for (DatasetArchive.Entry e : DatasetArchive.read(bytes, ARCHIVE_LIMITS)) {
          out.add(new TrainingData.Sample(e.image(), e.caption()));
        }
      } catch (IllegalArgumentException e) {
        throw new TrainingFailure("invalid_input", e.getMessage());
      }
      return out;
    }
    for (TrainImage img : p.dataset().images()) {
      byte[] bytes =
          objects
              .get(img.image())
              .orElseThrow(
                  () ->
                      new TrainingFailure(
                          "invalid_input", "dataset image " + img.image() + " is missing"));
      out.add(new TrainingData.Sample(bytes, img.caption() == null ? "" : img.caption()));
    }
    return out;
  }
}
