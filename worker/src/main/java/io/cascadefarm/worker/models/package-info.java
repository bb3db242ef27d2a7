/** What a worker process tells the farm about the model variants it can render (GET /v1/models). */
package io.cascadefarm.worker.models;
