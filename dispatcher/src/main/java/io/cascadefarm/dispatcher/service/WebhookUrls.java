package io.cascadefarm.dispatcher.service;

import io.cascadefarm.common.contract.Problems;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.webhook.WebhookTargets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Checks the webhook URLs of a submit against {@link WebhookTargets} (scheme, no user info, no
 * private, loopback or link-local address unless {@code farm.webhooks.allow-private}); each
 * distinct URL of one request is resolved once. The sender checks again before every attempt.
 */
public final class WebhookUrls {
  private final WebhookTargets targets;

  public WebhookUrls(WebhookTargets targets) {
    this.targets = targets;
  }

  /** No check (the dispatcher has no webhook sender). */
  public static WebhookUrls unchecked() {
    return new WebhookUrls(null);
  }

  /** 400 naming {@code field} when {@code url} is refused. */
  public void check(String url, String field) {
    String why = problem(url, new HashMap<>());
    if (why != null) {
      throw ApiException.invalidField(field, why);
    }
  }

  /** Records a problem for every job whose webhook_url is refused. */
  public void checkAll(
      List<JobParams> jobs, IntFunction<String> prefix, IntFunction<Problems> scope) {
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      JobParams p = jobs.get(i);
      if (p == null || p.webhookUrl() == null) {
        continue;
      }
      String why = problem(p.webhookUrl(), seen);
      if (why != null) {
        String pre = prefix.apply(i);
        scope.apply(i).add(pre.isEmpty() ? "webhook_url" : pre + ".webhook_url", why);
      }
    }
  }

  private String problem(String url, Map<String, String> seen) {
    if (url == null || targets == null) {
      return null;
    }
    return seen.computeIfAbsent(
            url,
            u -> {
              try {
                targets.check(u);
                return "";
              } catch (WebhookTargets.Refused e) {
                return e.getMessage();
              }
            })
        .transform(s -> s.isEmpty() ? null : s);
  }
}
