package io.cascadefarm.dispatcher.service;

import io.cascadefarm.common.port.WorkerModels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /v1/models}: the model variants workers reported within {@link #SEEN_WITHIN}, each
 * with the workers that have it (loaded or not, weights present, precision, device), and the
 * calling tenant's fine-tuned models ({@code fine_tuned}, from the object store; any worker that
 * has the base variant renders them).
 */
public final class ModelsService {
  /** Reports older than this are left out (the worker is gone or no longer reports). */
  public static final Duration SEEN_WITHIN = Duration.ofMinutes(5);

  private final WorkerModels models;
  private final Clock clock;
  private final io.cascadefarm.common.port.ObjectStore objects;

  public ModelsService(WorkerModels models, Clock clock) {
    this(models, clock, null);
  }

  /** With the object store the tenants' fine-tuned models are listed from (null: none). */
  public ModelsService(
      WorkerModels models, Clock clock, io.cascadefarm.common.port.ObjectStore objects) {
    this.models = models;
    this.clock = clock;
    this.objects = objects;
  }

  /** One worker's state of one variant. */
  public record WorkerModel(
      String worker,
      boolean loaded,
      boolean weightsPresent,
      String precision,
      String device,
      Long loadMillis,
      Instant updatedAt) {}

  /** One variant: renderable when some worker has it loaded or has its weights. */
  public record ModelView(
      String model, boolean renderable, int workersLoaded, List<WorkerModel> workers) {}

  public record ModelsPage(
      List<ModelView> models, List<io.cascadefarm.common.model.CustomModel> fineTuned) {}

  /** The variants and {@code tenant}'s fine-tuned models. */
  public ModelsPage list(String tenant) {
    ModelsPage base = list();
    if (objects == null) {
      return base;
    }
    List<io.cascadefarm.common.model.CustomModel> mine;
    try {
      mine = io.cascadefarm.common.model.CustomModels.listFor(objects, tenant);
    } catch (RuntimeException e) {
      throw io.cascadefarm.dispatcher.api.ApiException.objectStoreUnavailable(
          "fine_tuned",
          "cannot list fine-tuned models: object store unavailable",
          StoreGuard.RETRY_AFTER_SECONDS);
    }
    return new ModelsPage(base.models(), mine);
  }

  /** The variants workers reported (no fine-tuned models). */
  public ModelsPage list() {
    List<WorkerModels.Report> rows =
        StoreGuard.call("models", () -> models.seenSince(clock.instant().minus(SEEN_WITHIN)));
    Map<String, List<WorkerModel>> by = new TreeMap<>();
    for (WorkerModels.Report r : rows) {
      by.computeIfAbsent(r.model(), k -> new ArrayList<>())
          .add(
              new WorkerModel(
                  r.worker(),
                  r.loaded(),
                  r.weightsPresent(),
                  r.precision(),
                  r.device(),
                  r.loadMillis(),
                  r.updatedAt()));
    }
    List<ModelView> out = new ArrayList<>();
    by.forEach(
        (model, ws) ->
            out.add(
                new ModelView(
                    model,
                    ws.stream().anyMatch(w -> w.loaded() || w.weightsPresent()),
                    (int) ws.stream().filter(WorkerModel::loaded).count(),
                    ws)));
    return new ModelsPage(out, List.of());
  }
}
