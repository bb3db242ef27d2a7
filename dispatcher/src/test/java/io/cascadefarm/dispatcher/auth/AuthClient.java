package io.cascadefarm.dispatcher.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A tiny HTTP client that sends requests with (or without) an API key. */
final class AuthClient {
  private final HttpClient http;
  private final String base;

  AuthClient(String base) {
    this(base, HttpClient.Version.HTTP_2);
  }

  AuthClient(String base, HttpClient.Version version) {
    this.base = base;
    this.http =
        HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
  }

  record Answer(int status, HttpResponse<byte[]> raw) {
    String text() {
      return new String(raw.body(), StandardCharsets.UTF_8);
    }

    JsonNode json() {
      try {
        return Json.mapper().readTree(raw.body());
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + text(), e);
      }
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  Answer send(String key, String method, String path, byte[] body, String... headers) {
    List<String> h = new ArrayList<>(List.of(headers));
    if (key != null) {
      h.add("Authorization");
      h.add("Bearer " + key);
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (!h.isEmpty()) {
      b.headers(h.toArray(String[]::new));
    }
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(r.statusCode(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Answer send(String key, String method, String path, String json) {
    return send(key, method, path, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  Answer get(String key, String path) {
    return send(key, "GET", path, (byte[]) null);
  }
}
