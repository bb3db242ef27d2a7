package io.cascadefarm.dispatcher.auth;

import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.api.FieldError;
import io.cascadefarm.dispatcher.http.Responses;
import io.cascadefarm.dispatcher.http.TenantResolver;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/**
 * The first handler of every /v1 route: puts the request's tenant into the routing context (key
 * {@link #TENANT}) or answers 401 with {@code WWW-Authenticate: Bearer}. With an {@link
 * ApiKeyAuthenticator} a cache hit is answered on the event loop and a miss is looked up on a
 * worker thread; any other {@link TenantResolver} is asked directly.
 */
public final class AuthHandler implements Handler<RoutingContext> {
  public static final String TENANT = "farm.tenant";

  /** The routing-context key of the request's {@link Principal} (tenant and scopes). */
  public static final String PRINCIPAL = "farm.principal";

  static final String REALM = "Bearer realm=\"cascade-farm\"";
  private final TenantResolver tenants;
  private final Responses out;
  private final io.vertx.core.WorkerExecutor lookups;

  /**
   * @param lookups the pool key lookups run on: their own, so that slow uploads or a slow object
   *     store cannot starve authentication
   */
  public AuthHandler(TenantResolver tenants, Responses out, io.vertx.core.WorkerExecutor lookups) {
    this.tenants = tenants;
    this.out = out;
    this.lookups = lookups;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!(tenants instanceof ApiKeyAuthenticator keys)) {
      String tenant = tenants.tenantOf(ctx.request());
      admit(ctx, tenant == null ? null : Principal.everything(tenant));
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    Optional<Principal> known = keys.cachedPrincipal(header);
    if (known.isPresent()) {
      admit(ctx, ApiKeyAuthenticator.refused(known.get()) ? null : known.get());
      return;
    }
    if (!keys.tryLookup()) {
      ctx.request().resume();
      out.error(ctx, ApiKeyAuthenticator.tooManyLookups());
      return;
    }
    // the body has not been read yet: hold it until the lookup is done (the body reader resumes)
    ctx.request().pause();
    lookups
        .executeBlocking(() -> Optional.ofNullable(keys.loadPrincipal(header)), false)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                admit(ctx, ar.result().orElse(null));
              } else {
                ctx.request().resume();
                out.fail(ctx, ar.cause());
              }
            });
  }

  /**
   * The scope a request needs: {@code admin} for the workers registry and {@code /v1/admin/*},
   * {@code read} for GET and HEAD, {@code submit} for every other method (create, cancel, retry,
   * upload).
   */
  public static String requiredScope(String method, String path) {
    if (path.equals("/v1/workers")
        || path.startsWith("/v1/workers/")
        || path.startsWith("/v1/admin/")) {
      return io.cascadefarm.common.port.Scopes.ADMIN;
    }
    return method.equals("GET") || method.equals("HEAD")
        ? io.cascadefarm.common.port.Scopes.READ
        : io.cascadefarm.common.port.Scopes.SUBMIT;
  }

  private void admit(RoutingContext ctx, Principal principal) {
    if (principal != null) {
      String needed = requiredScope(ctx.request().method().name(), ctx.request().path());
      if (!principal.has(needed)) {
        ctx.request().resume();
        String m =
            "this API key lacks the '" + needed + "' scope (it has " + principal.scopes() + ")";
        out.error(
            ctx,
            new ApiException(403, "forbidden", m, List.of(new FieldError("Authorization", m)), 0));
        return;
      }
      ctx.put(TENANT, principal.tenant());
      ctx.put(PRINCIPAL, principal);
      ctx.next();
      return;
    }
    ctx.request().resume(); // let a refused body drain (if it was held for the lookup)
    boolean given = ctx.request().getHeader("Authorization") != null;
    String message =
        given
            ? "the API key is unknown, revoked or malformed"
            : "an API key is required: Authorization: Bearer <key>";
    ctx.response()
        .putHeader("WWW-Authenticate", given ? REALM + ", error=\"invalid_token\"" : REALM);
    out.error(
        ctx,
        new ApiException(
            401, "unauthorized", message, List.of(new FieldError("Authorization", message)), 0));
  }
}
