package dev.xerosync.syncengine;

import dev.xerosync.common.Log;
import dev.xerosync.queue.SyncRequest;
import dev.xerosync.store.ConnectionStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a failed tenant sync does to its messages. A rate limit holds the requests back on the delay
 * queue (the messages are done); a refused connection waits for a reconnect, which starts a full
 * sync (the messages are done); anything transient returns the messages to the queue, which
 * dead-letters them after its receive limit.
 */
final class FailurePolicy {
  private static final Log LOG = Log.of(FailurePolicy.class);

  /** Holds requests back for a while (the delay queue). */
  @FunctionalInterface
  interface Deferrals {
    void defer(List<SyncRequest> requests, Duration wait);
  }

  private final Deferrals deferred;
  private final SyncRecords.Tenants connections;

  /** Null leaves reasons, corrective actions and notifications out. */
  private final @Nullable SyncAlerts alerts;

  private final Clock clock;

  FailurePolicy(
      Deferrals deferred,
      SyncRecords.Tenants connections,
      @Nullable SyncAlerts alerts,
      Clock clock) {
    this.deferred = deferred;
    this.connections = connections;
    this.alerts = alerts;
    this.clock = clock;
  }

  /** Acts on the failure; returns whether the messages go back to the queue. */
  boolean returnsMessages(
      String tenantId, @Nullable String correlationId, List<SyncRequest> requests, SyncFailure e) {
    switch (e.kind()) {
      case RATE_LIMITED -> {
        Duration wait = e.retryAfter() == null ? Duration.ofSeconds(60) : e.retryAfter();
        deferred.defer(heldBack(tenantId, correlationId, requests, e.remaining()), wait);
        if (e.isDailyLimit()) {
          connections.setStatus(
              tenantId,
              ConnectionStatus.RATE_LIMITED,
              "Xero's daily API limit for this organisation is used up; syncing resumes when it resets.",
              clock.instant().plus(wait));
        }
        LOG.warn(
            "tenant rate limited; requests held back",
            "tenantId",
            tenantId,
            "limit",
            e.getMessage(),
            "waitSeconds",
            wait.toSeconds(),
            "correlationId",
            correlationId);
        return false;
      }
      case RECONNECT_NEEDED -> {
        // Retrying cannot help until the tenant reconnects; reconnecting starts a full sync.
        LOG.warn(
            "tenant needs to reconnect",
            "tenantId",
            tenantId,
            "reason",
            e.getMessage(),
            "correlationId",
            correlationId);
        if (alerts != null) {
          alerts.needsReconnect(tenantId, e.getMessage());
        } else if (connections.get(tenantId).isPresent()) {
          connections.setStatus(
              tenantId,
              ConnectionStatus.NEEDS_RECONNECT,
              "Xero refused access to this organisation; an admin must reconnect it.",
              null);
        }
        return false;
      }
      case TRANSIENT -> {
        LOG.error(
            "tenant sync failed; messages return to the queue",
            e,
            "tenantId",
            tenantId,
            "correlationId",
            correlationId);
        syncError(tenantId, e.getMessage());
        return true;
      }
    }
    throw new IllegalStateException("unknown failure kind " + e.kind());
  }

  /** A failure that is no SyncFailure: the messages return to the queue. */
  void unexpected(String tenantId, @Nullable String correlationId, RuntimeException e) {
    LOG.error(
        "tenant sync failed unexpectedly; messages return to the queue",
        e,
        "tenantId",
        tenantId,
        "correlationId",
        correlationId);
    syncError(tenantId, "an unexpected " + e.getClass().getSimpleName());
  }

  /**
   * What a rate limit holds back: when the failure says which changes were not yet fetched, those
   * in one request instead of every CHANGES request folded (what was fetched is stored), and every
   * INITIAL or RECONCILE request as it was.
   */
  static List<SyncRequest> heldBack(
      String tenantId,
      @Nullable String correlationId,
      List<SyncRequest> requests,
      SyncFailure.@Nullable Remaining remaining) {
    if (remaining == null) {
      return requests;
    }
    List<SyncRequest> held = new ArrayList<>();
    // Credit notes are read after invoices and contacts: held back whole (reading one again is
    // harmless).
    List<String> creditNotes =
        requests.stream()
            .filter(r -> r.kind() == SyncRequest.Kind.CHANGES)
            .flatMap(r -> r.creditNoteIds().stream())
            .distinct()
            .toList();
    if (!remaining.isEmpty() || !creditNotes.isEmpty()) {
      held.add(
          new SyncRequest(tenantId, remaining.invoiceIds(), remaining.contactIds(), correlationId)
              .withCreditNotes(creditNotes));
    }
    requests.stream().filter(r -> r.kind() != SyncRequest.Kind.CHANGES).forEach(held::add);
    return held;
  }

  private void syncError(String tenantId, String cause) {
    if (alerts == null) {
      return;
    }
    try {
      alerts.syncError(tenantId, cause);
    } catch (RuntimeException e) {
      LOG.error("sync error notification failed", e, "tenantId", tenantId);
    }
  }
}
