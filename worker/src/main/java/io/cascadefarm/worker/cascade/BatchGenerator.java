package io.cascadefarm.worker.cascade;

import io.cascadefarm.cascade.pipeline.GenerationListener;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import io.cascadefarm.cascade.pipeline.GenerationResult;
import java.util.List;

/** One batched generation call; {@code CascadePipeline::generate} in production. */
@FunctionalInterface
public interface BatchGenerator {
  List<GenerationResult> generate(List<GenerationRequest> batch, GenerationListener listener);
}
