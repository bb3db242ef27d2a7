package io.cascadefarm.dispatcher.service;

import io.cascadefarm.common.port.JobListing;
import io.cascadefarm.common.port.WebhookStore;
import io.cascadefarm.common.port.WorkerModels;

/**
 * The ports of issue 12's routes (listing, webhooks, models); each null when the dispatcher runs
 * without PostgreSQL (in-memory tests), and the routes that need it are not mounted.
 */
public record ScalePorts(JobListing listing, WebhookStore webhooks, WorkerModels models) {
  public static ScalePorts none() {
    return new ScalePorts(null, null, null);
  }
}
