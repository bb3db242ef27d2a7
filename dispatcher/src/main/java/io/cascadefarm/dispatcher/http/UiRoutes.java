package io.cascadefarm.dispatcher.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The dashboard at {@code /ui/}: static files from the classpath ({@code
 * io/cascadefarm/dispatcher/ui}, no build step) that call the API with the user's key from the same
 * origin. {@code /ui} redirects to {@code /ui/}. The files are public (they hold no data); every
 * call they make needs a key.
 */
final class UiRoutes {
  static final String ROOT = "io/cascadefarm/dispatcher/ui";

  private UiRoutes() {}

  static void mount(Router r) {
    r.route("/ui")
        .handler(
            ctx -> {
              // Vert.x matches "/ui/" against "/ui" too: redirect only the bare path
              if (ctx.request().method() != HttpMethod.GET || !"/ui".equals(ctx.request().path())) {
                ctx.next();
                return;
              }
              ctx.response().setStatusCode(302).putHeader("Location", "/ui/").end();
            });
    StaticHandler files =
        StaticHandler.create(ROOT)
            .setCachingEnabled(false)
            .setDirectoryListing(false)
            .setIndexPage("index.html")
            .setDefaultContentEncoding("UTF-8");
    r.route("/ui/*")
        .handler(
            ctx -> {
              ctx.response()
                  .putHeader("X-Content-Type-Options", "nosniff")
                  .putHeader("Referrer-Policy", "no-referrer")
                  .putHeader(
                      "Content-Security-Policy",
                      "default-src 'self'; img-src 'self' blob: data: http: https:;"
                          + " style-src 'self'; script-src 'self'; connect-src 'self';"
                          + " frame-ancestors 'none'");
              ctx.next();
            })
        .handler(files);
  }
}
