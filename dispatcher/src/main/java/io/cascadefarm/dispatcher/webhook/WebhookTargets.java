package io.cascadefarm.dispatcher.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which webhook URLs may be called: absolute {@code http}/{@code https} URLs without user info,
 * whose host resolves to public addresses only, unless private targets are allowed ({@code
 * farm.webhooks.allow-private}). Refused: loopback, private (10/8, 172.16/12, 192.168/16,
 * fc00::/7), link-local (169.254/16, fe80::/10), carrier-grade NAT (100.64/10), unspecified,
 * multicast and the IPv4-mapped forms of these. Checked when a job is submitted and again before
 * each attempt, on the address the sender then connects to (no second lookup between check and
 * connect).
 */
public final class WebhookTargets {
  private final boolean allowPrivate;

  public WebhookTargets(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  /** A refused target; the message says why, for a 400 or a delivery's last error. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  /** A checked target: the URL's parts and the address to connect to. */
  public record Target(URI uri, boolean https, String host, int port, InetAddress address) {
    /** The request target (path and query) of the URL. */
    public String requestTarget() {
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /** The Host header value. */
    public String hostHeader() {
      boolean defaultPort = https ? port == 443 : port == 80;
      String h = host.contains(":") ? "[" + host + "]" : host;
      return defaultPort ? h : h + ":" + port;
    }
  }

  /** Parses and checks {@code url}, resolving its host. */
  public Target check(String url) throws Refused {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new Refused("is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Refused("must be an http:// or https:// URL");
    }
    if (uri.getRawUserInfo() != null) {
      throw new Refused("must not contain user info (user:password@)");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new Refused("has no host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (uri.getRawFragment() != null) {
      throw new Refused("must not have a fragment (#...)");
    }
    boolean https = scheme.equals("https");
    int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new Refused("host " + host + " does not resolve");
    }
    if (!allowPrivate) {
      for (InetAddress a : addresses) {
        String why = privateRange(a);
        if (why != null) {
          throw new Refused(
              "host "
                  + host
                  + " resolves to "
                  + why
                  + " address "
                  + a.getHostAddress()
                  + " (refused unless farm.webhooks.allow-private=true)");
        }
      }
    }
    return new Target(uri, https, host, port, addresses[0]);
  }

  /** The kind of non-public range {@code a} is in, or null for a public address. */
  static String privateRange(InetAddress a) {
    if (a instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      boolean mapped = true;
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        try {
          return privateRange(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          return "invalid";
        }
      }
      if ((b[0] & 0xfe) == 0xfc) {
        return "a private (unique local)";
      }
    }
    if (a.isLoopbackAddress()) {
      return "a loopback";
    }
    if (a.isLinkLocalAddress()) {
      return "a link-local";
    }
    if (a.isSiteLocalAddress()) {
      return "a private";
    }
    if (a.isAnyLocalAddress()) {
      return "an unspecified";
    }
    if (a.isMulticastAddress()) {
      return "a multicast";
    }
    if (a instanceof Inet4Address) {
      byte[] b = a.getAddress();
      int b0 = b[0] & 0xff;
      int b1 = b[1] & 0xff;
      if (b0 == 100 && b1 >= 64 && b1 < 128) {
        return "a carrier-grade NAT";
      }
      if (b0 == 0) {
        return "an unspecified";
      }
      if (b0 == 169 && b1 == 254) {
        return "a link-local";
      }
    }
    return null;
  }
}
