package io.cascadefarm.worker.render;

import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.port.RenderCancelledException;
import io.cascadefarm.common.port.RenderException;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.common.port.Renderer;
import io.cascadefarm.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batched {@link Renderer#render} call for jobs with equal batch keys, then per job: discard if
 * cancelled or lease lost, else upload and succeed. If a call with several jobs fails, each job is
 * rendered alone once, so that one bad job (a poison job, an OOM at this batch size) does not use
 * up the attempts of its neighbours. A call that runs past {@code farm.worker.render-timeout}
 * ({@link RenderTimeout}) fails the attempts of all its jobs and is not split: rendering each alone
 * could hold the worker for (n + 1) timeouts; their retries render alone instead.
 */
public final class GroupRender {
  private static final Logger LOG = LoggerFactory.getLogger(GroupRender.class);

  /**
   * How often progress is written and cancellation is read (production: 500 ms and 1 s, so at most
   * 2 progress writes per second per job).
   */
  public record Pacing(Duration progressEvery, Duration cancelCheckEvery) {
    public static final Pacing DEFAULT = new Pacing(Duration.ofMillis(500), Duration.ofSeconds(1));
  }

  /** Builds a GroupRender from the executor's collaborators. */
  @FunctionalInterface
  public interface Factory {
    GroupRender create(
        ResultUploader uploader,
        Completer completer,
        EventSender events,
        WorkerMetrics metrics,
        RenderTimeout timeout,
        BooleanSupplier aborted);
  }

  private final Renderer renderer;
  private final JobStore store;
  private final ResultUploader uploader;
  private final Completer completer;
  private final EventSender events;
  private final WorkerMetrics metrics;
  private final BooleanSupplier aborted;
  private final Pacing pacing;
  private final RenderTimeout timeout;

  public GroupRender(
      Pacing pacing,
      Renderer renderer,
      JobStore store,
      ResultUploader uploader,
      Completer completer,
      EventSender events,
      WorkerMetrics metrics,
      RenderTimeout timeout,
      BooleanSupplier aborted) {
    this.pacing = pacing;
    this.timeout = timeout;
    this.renderer = renderer;
    this.store = store;
    this.uploader = uploader;
    this.completer = completer;
    this.events = events;
    this.metrics = metrics;
    this.aborted = aborted;
  }

  /** The factory the worker uses: renders with {@code renderer}, checks status in {@code store}. */
  public static Factory with(Renderer renderer, JobStore store) {
    return with(Pacing.DEFAULT, renderer, store);
  }

  public static Factory with(Pacing pacing, Renderer renderer, JobStore store) {
    return (uploader, completer, events, metrics, timeout, aborted) ->
        new GroupRender(
            pacing, renderer, store, uploader, completer, events, metrics, timeout, aborted);
  }

  /** Renders {@code group} and completes its jobs on this thread. */
  public void renderAndComplete(List<ActiveJob> group) {
    renderAndComplete(group, Runnable::run);
  }

  /**
   * Renders {@code group}; failures are settled here, and each rendered job's upload and completion
   * is handed to {@code completions} (to run now or on a {@link Finisher}).
   */
  public void renderAndComplete(List<ActiveJob> group, Consumer<Runnable> completions) {
    List<ActiveJob> jobs = group.stream().filter(ActiveJob::active).toList();
    if (jobs.isEmpty()) {
      return;
    }
    List<RenderTask> tasks =
        jobs.stream()
            .map(
                j ->
                    new RenderTask(j.job().id(), j.lease().attempt(), j.job().params(), j.inputs()))
            .toList();
    BatchListener listener =
        new BatchListener(
            jobs,
            store,
            events,
            uploader,
            metrics,
            aborted,
            System::nanoTime,
            pacing.progressEvery().toNanos(),
            pacing.cancelCheckEvery().toNanos());
    long t0 = System.nanoTime();
    RenderDeadline deadline = timeout.watch(jobs);
    List<List<RenderedImage>> out;
    try {
      out = renderer.render(tasks, listener);
      if (out == null || out.size() != tasks.size()) {
        throw new RenderException(
            "render_error", "renderer returned a result list of the wrong size", true, null);
      }
    } catch (RenderCancelledException e) {
      deadline.finishedInTime();
      LOG.info("render of {} job(s) stopped: {}", jobs.size(), e.getMessage());
      return; // cancelled/lost/timed-out jobs need nothing; on abort the executor releases the rest
    } catch (RuntimeException | OutOfMemoryError e) {
      if (deadline.finishedInTime()) {
        failed(jobs, e, completions);
      }
      return;
    } catch (Error e) {
      deadline.finishedInTime(); // settle it: the jobs are not to fail as timed out later
      throw e;
    }
    if (!deadline.finishedInTime()) {
      LOG.info("render of {} job(s) returned after its timeout: results discarded", jobs.size());
      return;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    metrics.renderTook(took, jobs.size());
    int images = 0;
    for (List<RenderedImage> o : out) {
      images += o.size();
    }
    var params = jobs.get(0).job().params();
    metrics.renderedImages(params.model(), precisionOf(params), took, images);
    List<List<RenderedImage>> results = out;
    completions.accept(() -> complete(jobs, results));
  }

  /** The precision the group rendered in, as the renderer routes it, else the worker's. */
  private String precisionOf(io.cascadefarm.common.job.JobParams p) {
    String routed = renderer.unwrapped().precisionOf(p.model());
    return routed != null ? routed : metrics.precision();
  }

  private void failed(List<ActiveJob> jobs, Throwable e, Consumer<Runnable> completions) {
    if (aborted.getAsBoolean()) {
      return; // draining: the executor releases the jobs without using up an attempt
    }
    if (jobs.size() > 1) {
      LOG.warn("batch of {} failed ({}); rendering each job alone", jobs.size(), e.toString());
      jobs.forEach(j -> renderAndComplete(List.of(j), completions));
      return;
    }
    LOG.warn("render of job {} failed", jobs.get(0).job().id(), e);
    jobs.forEach(j -> completer.fail(j, FailureClassifier.classify(e)));
  }

  /**
   * Uploads each still-active job's images, then records the group's successes in one store call; a
   * job cancelled or lost while rendering is discarded, one whose upload fails is failed.
   */
  private void complete(List<ActiveJob> jobs, List<List<RenderedImage>> results) {
    List<Completer.Success> successes = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      ActiveJob j = jobs.get(i);
      if (!j.active()) {
        continue; // cancelled or lease lost while rendering: the results are discarded
      }
      try {
        var keys = uploader.upload(j.job().id(), j.lease().epoch(), results.get(i));
        successes.add(new Completer.Success(j, new JobResult(keys)));
      } catch (RuntimeException e) {
        if (!aborted.getAsBoolean()) {
          completer.fail(j, FailureClassifier.classify(e));
        }
      }
    }
    completer.succeedAll(successes);
  }
}
