package io.cascadefarm.dispatcher.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which webhook URLs are refused, with private targets off and on (literal addresses only). */
class WebhookTargetsTest {
  final WebhookTargets strict = new WebhookTargets(false);
  final WebhookTargets open = new WebhookTargets(true);

  @Test
  void privateLoopbackAndLinkLocalAddressesAreRefusedUnlessAllowed() throws Exception {
    for (String url :
        new String[] {
          "http://127.0.0.1/h",
          "http://10.1.2.3/h",
          "http://172.16.0.1/h",
          "http://192.168.1.1/h",
          "http://169.254.169.254/latest/meta-data",
          "http://100.64.0.1/h",
          "http://0.0.0.0/h",
          "http://[::1]/h",
          "http://[fe80::1]/h",
          "http://[fc00::1]/h",
          "http://[::ffff:127.0.0.1]/h",
          "http://224.0.0.1/h"
        }) {
      WebhookTargets.Refused e =
          assertThrows(WebhookTargets.Refused.class, () -> strict.check(url), url);
      assertTrue(e.getMessage().contains("farm.webhooks.allow-private"), e.getMessage());
      open.check(url);
    }
    WebhookTargets.Target t = strict.check("https://8.8.8.8:8443/hook?a=1");
    assertEquals("/hook?a=1", t.requestTarget());
    assertEquals("8.8.8.8:8443", t.hostHeader());
    assertTrue(t.https());
  }

  @Test
  void otherSchemesUserInfoAndFragmentsAreRefused() {
    for (String url :
        new String[] {
          "ftp://8.8.8.8/x",
          "file:///etc/passwd",
          "http://u:p@8.8.8.8/x",
          "http://8.8.8.8/x#f",
          "nope"
        }) {
      assertThrows(WebhookTargets.Refused.class, () -> open.check(url), url);
    }
  }

  @Test
  void theSignatureIsStandardWebhooksHmacOverIdTimestampAndBody() {
    String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    // the example of the Standard Webhooks reference implementations
    String sig =
        WebhookSigner.sign(
            secret,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            "{\"test\": 2432232314}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", sig);
  }
}
