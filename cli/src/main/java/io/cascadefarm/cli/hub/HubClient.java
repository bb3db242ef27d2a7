package io.cascadefarm.cli.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Talks to a Hugging Face compatible hub: repo metadata from {@code /api/models/...} and file bytes
 * from {@code {endpoint}/{repo}/resolve/main/{path}} (redirects followed, the token only sent to
 * the hub's own origin; optional HTTP Range), with an optional bearer token. HTTP failures become
 * {@link HubException}s that say what to do.
 */
public final class HubClient {
  public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
  static final int MAX_REDIRECTS = 5;
  private final String endpoint;
  private final String token;
  private final HttpClient http;

  /** {@code token} may be null or blank (anonymous). */
  public HubClient(String endpoint, String token) {
    String e = endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint;
    this.endpoint = e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
    this.token = token == null || token.isBlank() ? null : token.trim();
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
  }

  public String endpoint() {
    return endpoint;
  }

  /** Metadata of {@code repo} at main (revision endpoint, tree endpoint as fallback). */
  public HubMetadata metadata(String repo) throws IOException, InterruptedException {
    String url = endpoint + "/api/models/" + repo + "/revision/main?blobs=true";
    HttpResponse<String> r = http.send(request(url, -1), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 404) {
      url = endpoint + "/api/models/" + repo + "/tree/main?recursive=true";
      r = http.send(request(url, -1), HttpResponse.BodyHandlers.ofString());
    }
    check(r.statusCode(), url, repo, null);
    return HubMetadata.parse(repo, r.body());
  }

  /** The download URL of a file. */
  public String fileUrl(FileRef f) {
    return endpoint + "/" + f.repo() + "/resolve/main/" + f.path();
  }

  /**
   * Opens a file from byte {@code from} (0 = whole file). Status 206 means the server honoured the
   * range; 200 means it sent the whole file.
   */
  public HttpResponse<InputStream> open(FileRef f, long from)
      throws IOException, InterruptedException {
    String url = fileUrl(f);
    URI origin = URI.create(url);
    HttpResponse<InputStream> r = null;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      boolean sameOrigin = sameOrigin(origin, URI.create(url));
      r = http.send(request(url, from, sameOrigin), HttpResponse.BodyHandlers.ofInputStream());
      String location = r.headers().firstValue("Location").orElse(null);
      if (r.statusCode() / 100 != 3 || location == null) {
        break;
      }
      r.body().close();
      URI next = URI.create(url).resolve(location);
      String refused = refusedRedirect(URI.create(url), next);
      if (refused != null) {
        throw new HubException(
            "refusing the redirect from " + url + " to " + next + ": " + refused, 0, null);
      }
      url = next.toString();
    }
    if (r.statusCode() != 200 && r.statusCode() != 206 && r.statusCode() != 416) {
      r.body().close();
      check(r.statusCode(), url, f.repo(), f.path());
    }
    return r;
  }

  /**
   * Why a redirect from {@code from} to {@code to} must not be followed, or null: only http and
   * https, and never from https down to http (a redirect must not strip the transport security the
   * endpoint was reached with; the download's hash is checked too, but its metadata came over the
   * same channel).
   */
  static String refusedRedirect(URI from, URI to) {
    String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "only http and https are followed";
    }
    if ("https".equalsIgnoreCase(from.getScheme()) && scheme.equals("http")) {
      return "it downgrades https to http";
    }
    return null;
  }

  /**
   * Redirects are followed here, not by the HTTP client, so that the bearer token is only sent to
   * the hub itself: the hub redirects file downloads to presigned CDN URLs, which reject (or must
   * not see) a second credential.
   */
  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && a.getPort() == b.getPort();
  }

  private HttpRequest request(String url, long from) {
    return request(url, from, true);
  }

  private HttpRequest request(String url, long from, boolean withToken) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofMinutes(10))
            .header("User-Agent", "cascade-farm");
    if (token != null && withToken) {
      b.header("Authorization", "Bearer " + token);
    }
    if (from > 0) {
      b.header("Range", "bytes=" + from + "-");
    }
    return b.GET().build();
  }

  private void check(int status, String url, String repo, String path) {
    if (status >= 200 && status < 300) {
      return;
    }
    if (status == 401 || status == 403) {
      throw new HubException(
          "HTTP "
              + status
              + " from "
              + url
              + ": "
              + repo
              + " is gated or needs a token. "
              + (token == null ? "No token was given. " : "The token was refused or lacks access. ")
              + "Accept the licence at "
              + endpoint
              + "/"
              + repo
              + " while logged in, then pass an access token with --token or HF_TOKEN.",
          status,
          null);
    }
    if (status == 404) {
      throw new HubException(
          "HTTP 404 from "
              + url
              + ": "
              + (path == null ? "repo " + repo : path + " in " + repo)
              + " not found at "
              + endpoint
              + " (check --endpoint, --variant and --dtype)",
          status,
          null);
    }
    throw new HubException("HTTP " + status + " from " + url, status, null);
  }
}
