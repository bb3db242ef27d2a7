package io.cascadefarm.cli.hub;

import io.cascadefarm.cascade.io.TorchLegacyCheckpoint;
import io.cascadefarm.common.digest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * The saliency model of the official mask-less inpaint/outpaint mode ({@code InpaintFilter}): the
 * official repository ships it as {@code modules/cnet_modules/inpainting/saliency_model.pt} (not on
 * the model hub). It is downloaded from the official repository at a pinned commit, checked against
 * the pinned size and SHA-256, converted (no Python, {@link TorchLegacyCheckpoint}) and written as
 * {@code stable-cascade/controlnet/saliency.safetensors}, where the pipeline looks for it.
 */
public final class SaliencyPull {
  /** Where a file comes from and what it must be. */
  public record Source(String url, long size, String sha256) {}

  /** The official file at Stability-AI/StableCascade 7a7d341f (2024-02-15). */
  public static final Source OFFICIAL =
      new Source(
          "https://raw.githubusercontent.com/Stability-AI/StableCascade/"
              + "7a7d341f729ccaa042920a1fac3e7b9326079aca/"
              + "modules/cnet_modules/inpainting/saliency_model.pt",
          451_123,
          "225a602e1f2a5d159424be011a63b27d83b56343a4379a90710eca9a26bab920");

  /** The converted file, relative to the models directory. */
  public static final String TARGET = "stable-cascade/controlnet/saliency.safetensors";

  private SaliencyPull() {}

  /**
   * Fetches and converts {@code source} into {@code modelsDir}/{@value #TARGET} unless that file
   * exists; returns true when it downloaded.
   */
  public static boolean pull(Source source, Path modelsDir, DownloadListener listener)
      throws IOException, InterruptedException {
    Path target = modelsDir.resolve(TARGET);
    if (Files.isRegularFile(target)) {
      listener.note(TARGET + ": present, kept");
      return false;
    }
    listener.note("saliency model (" + source.size() + " bytes) from " + source.url());
    HttpClient http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(URI.create(source.url()))
                .timeout(Duration.ofMinutes(5))
                .header("User-Agent", "cascade-farm")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    byte[] bytes;
    try (InputStream in = r.body()) {
      if (r.statusCode() != 200) {
        throw new HubException("HTTP " + r.statusCode() + " from " + source.url());
      }
      bytes = in.readNBytes((int) source.size() + 1);
    }
    String sha = Sha256.hex(bytes);
    if (bytes.length != source.size() || !sha.equals(source.sha256())) {
      throw new HubException(
          "the saliency model from "
              + source.url()
              + " is not the pinned file ("
              + bytes.length
              + " bytes, SHA-256 "
              + sha
              + "; expected "
              + source.size()
              + " bytes, "
              + source.sha256()
              + ")");
    }
    byte[] converted = TorchLegacyCheckpoint.toSafetensors(TorchLegacyCheckpoint.read(bytes));
    Files.createDirectories(target.getParent());
    Path part = Downloader.partFile(target);
    Files.write(part, converted);
    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    listener.note("wrote " + target);
    return true;
  }
}
