package dev.xerosync.syncengine;

import dev.xerosync.store.UpsertOutcome;
import dev.xerosync.xero.XeroAllocation;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What a tenant's folded sync requests run: {@link TenantSync}, or a fake in unit tests. */
public interface SyncSteps {
  /**
   * The invoices (each with when the latest message naming it was sent, and when Xero said it
   * changed; null if unknown) and contacts named.
   */
  Map<UpsertOutcome, Integer> syncChanges(
      String tenantId,
      Map<String, Instant> invoiceSentAt,
      Map<String, Instant> changedAt,
      Collection<String> contactIds,
      @Nullable String correlationId)
      throws SyncFailure;

  void syncCredits(
      String tenantId,
      Map<XeroAllocation.Kind, ? extends Collection<String>> creditIds,
      @Nullable String correlationId)
      throws SyncFailure;

  void initialSyncStep(String tenantId, @Nullable String correlationId) throws SyncFailure;

  void reconcile(String tenantId, @Nullable String correlationId) throws SyncFailure;
}
