package io.cascadefarm.dispatcher.service;

import io.cascadefarm.common.port.IdempotencyConflictException;
import io.cascadefarm.common.port.TenantLimitException;
import io.cascadefarm.db.StoreUnavailableException;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.tenant.TenantAdmission;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a store call and maps its failures: an idempotency conflict becomes 409, a tenant limit the
 * store enforces becomes 429 ({@link TenantAdmission#refusal}), the store being unavailable ({@link
 * StoreUnavailableException}: PostgreSQL down, pool exhausted, connection or statement timeouts)
 * becomes 503 with Retry-After. The job is then not accepted, so the client may safely resend.
 * Anything else (a bug, a constraint the code should have checked) is not a reason to retry: it
 * propagates and is answered 500 and logged.
 */
public final class StoreGuard {
  private static final Logger LOG = LoggerFactory.getLogger(StoreGuard.class);
  public static final int RETRY_AFTER_SECONDS = 5;

  private StoreGuard() {}

  public static <T> T call(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (ApiException e) {
      throw e;
    } catch (IdempotencyConflictException e) {
      throw ApiException.conflict("Idempotency-Key", e.getMessage());
    } catch (TenantLimitException e) {
      throw TenantAdmission.refusal(e);
    } catch (StoreUnavailableException e) {
      LOG.warn("job store unavailable during {}: {}", what, e.toString());
      throw ApiException.unavailable(
          "the job store is unavailable (" + what + "); retry later", RETRY_AFTER_SECONDS);
    }
  }
}
