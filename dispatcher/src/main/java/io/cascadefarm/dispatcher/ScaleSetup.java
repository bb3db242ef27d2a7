package io.cascadefarm.dispatcher;

import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.config.ResultSettings;
import io.cascadefarm.dispatcher.http.HttpApi;
import io.cascadefarm.dispatcher.service.BulkResults;
import io.cascadefarm.dispatcher.service.JobQueries;
import io.cascadefarm.dispatcher.service.JobSubmitter;
import io.cascadefarm.dispatcher.service.ListingService;
import io.cascadefarm.dispatcher.service.ModelsService;
import io.cascadefarm.dispatcher.service.ScalePorts;
import io.cascadefarm.dispatcher.service.WebhookAdmin;
import io.cascadefarm.dispatcher.service.WebhookUrls;
import io.cascadefarm.dispatcher.webhook.WebhookSender;
import io.cascadefarm.dispatcher.webhook.WebhookTargets;

/**
 * Wires issue 12's parts of a dispatcher from its {@link ScalePorts}: listing and queue estimates,
 * bulk results, the webhook sender (started here, closed by the dispatcher) and its admin routes,
 * and the model list. Webhook URLs of submits are checked whether or not a sender runs.
 */
record ScaleSetup(HttpApi.ScaleServices services, WebhookSender sender) {

  static ScaleSetup of(
      DispatcherConfig config,
      DispatcherPorts ports,
      ScalePorts scale,
      JobSubmitter submitter,
      JobQueries queries) {
    ListingService listing =
        scale.listing() == null
            ? null
            : new ListingService(scale.listing(), queries, ports.clock(), config.lowAging());
    submitter.withScale(
        scale.listing(), new WebhookUrls(new WebhookTargets(config.webhooks().allowPrivate())));
    WebhookSender sender = null;
    WebhookAdmin admin = null;
    if (scale.webhooks() != null) {
      boolean proxy = config.results().delivery() == ResultSettings.Delivery.PROXY;
      sender =
          new WebhookSender(
                  scale.webhooks(),
                  config.webhooks(),
                  (job, n, key) ->
                      proxy
                          ? "/v1/jobs/" + job + "/images/" + n
                          : ports.objects().presignGet(key, config.s3().presignTtl()).toString(),
                  ports.clock())
              .start();
      admin = new WebhookAdmin(scale.webhooks(), ports.clock(), sender::forget);
    }
    ModelsService models =
        scale.models() == null
            ? null
            : new ModelsService(scale.models(), ports.clock(), ports.objects());
    BulkResults bulk = new BulkResults(ports.store(), ports.objects(), queries);
    return new ScaleSetup(new HttpApi.ScaleServices(listing, bulk, admin, models), sender);
  }
}
