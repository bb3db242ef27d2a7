package io.cascadefarm.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A small client of the farm's HTTP API v1 over {@code java.net.http}: JSON in and out, errors as
 * {@link ApiException} carrying the API's error body.
 */
public final class ApiClient {
  private final URI base;
  private final HttpClient http;
  private final String apiKey;

  public ApiClient(String baseUrl) {
    this(baseUrl, null);
  }

  /** A client sending {@code Authorization: Bearer <apiKey>} (none when null or blank). */
  public ApiClient(String baseUrl, String apiKey) {
    this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.base = URI.create(b);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public String baseUrl() {
    return base.toString();
  }

  public JsonNode get(String path) {
    return json("GET", path, send(request(path).GET(), "GET", path));
  }

  /** POSTs {@code body} (may be empty) with the given content type and extra headers. */
  public JsonNode post(String path, byte[] body, String contentType, Map<String, String> headers) {
    HttpRequest.Builder b =
        request(path)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Content-Type", contentType);
    headers.forEach(b::header);
    return json("POST", path, send(b, "POST", path));
  }

  public JsonNode postJson(String path, Object body) {
    return post(path, Json.toBytes(body), "application/json", Map.of());
  }

  /** POSTs with an empty body (cancel, retry). */
  public JsonNode postEmpty(String path) {
    return post(path, new byte[0], "application/json", Map.of());
  }

  /** Downloads an absolute URL (e.g. a presigned image URL). */
  public byte[] download(String url) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    return send(b, "GET", url).body();
  }

  /**
   * The bytes of {@code url}: an absolute URL as is (presigned), a path of this API with the API
   * key (proxy mode).
   */
  public byte[] fetch(String url) {
    if (url.startsWith("/")) {
      return send(request(url).GET(), "GET", url).body();
    }
    return download(url);
  }

  /** Opens a Server-Sent-Events stream; the caller closes it. */
  public InputStream stream(String path) {
    HttpRequest req = request(path).header("Accept", "text/event-stream").GET().build();
    try {
      HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() >= 300) {
        try (InputStream in = r.body()) {
          throw new ApiException(r.statusCode(), "GET", path, new String(in.readAllBytes()));
        }
      }
      return r.body();
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted", e);
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2));
    return apiKey == null ? b : b.header("Authorization", "Bearer " + apiKey);
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder b, String method, String path) {
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() >= 300) {
        throw new ApiException(r.statusCode(), method, path, new String(r.body()));
      }
      return r;
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted", e);
    }
  }

  private ApiException unreachable(IOException e) {
    return new ApiException(
        "cannot reach the farm at " + base + " (" + e + "); is it running? (--api or FARM_API)", e);
  }

  private static JsonNode json(String method, String path, HttpResponse<byte[]> r) {
    try {
      return Json.mapper().readTree(r.body());
    } catch (IOException e) {
      throw new ApiException(method + " " + path + " answered with invalid JSON", e);
    }
  }
}
