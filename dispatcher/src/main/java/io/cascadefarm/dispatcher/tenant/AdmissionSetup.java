package io.cascadefarm.dispatcher.tenant;

import io.cascadefarm.common.config.TenantSettings;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.port.LimitedSubmits;
import io.cascadefarm.common.port.TenantUsage;

/**
 * Where the per-tenant limits are enforced. With a store that keeps them itself ({@link
 * LimitedSubmits}, PostgreSQL) submits go through {@code store.limitedBy(limits)}: quota and rate
 * are farm-wide, checked in the inserting transaction, and the in-process {@link TenantAdmission}
 * is unlimited. Any other store (in-memory tests) gets the per-process {@link TenantAdmission}.
 *
 * @param store the store the submitter inserts through
 * @param admission the in-process check the submitter calls before inserting
 */
public record AdmissionSetup(JobStore store, TenantAdmission admission) {

  public static AdmissionSetup of(TenantSettings settings, JobStore store) {
    if (store instanceof LimitedSubmits farmWide) {
      return new AdmissionSetup(
          farmWide.limitedBy(TenantAdmission.limits(settings)), TenantAdmission.unlimited());
    }
    TenantUsage usage = store instanceof TenantUsage u ? u : TenantUsage.none();
    return new AdmissionSetup(store, new TenantAdmission(settings, usage));
  }
}
