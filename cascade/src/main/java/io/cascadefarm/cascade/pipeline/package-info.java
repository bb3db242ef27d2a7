/**
 * The typed generation API shared by the CLI and the farm worker: requests with per-kind defaults
 * and validation, results with PNG bytes carrying the parameters as tEXt chunks, progress/preview/
 * cancellation callbacks, and {@link io.cascadefarm.cascade.pipeline.CascadePipeline}, which runs a
 * batch of compatible requests through Stage C, Stage B and Stage A.
 */
package io.cascadefarm.cascade.pipeline;
