package dev.xerosync.syncengine;

import dev.xerosync.common.Log;
import dev.xerosync.common.Metrics;
import dev.xerosync.queue.DeferredSyncs;
import dev.xerosync.queue.Redelivery;
import dev.xerosync.queue.SyncRequest;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import dev.xerosync.xero.XeroAllocation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One tenant's messages from a batch of the FIFO sync queue (one message group): folded, synced
 * once, and, when the sync fails, handled as {@link FailurePolicy} says. Returns the ids of the
 * messages that go back to the queue.
 *
 * <p>FIFO rule (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html):
 * within a message group, once one message fails, every later message of that group must fail too,
 * or order is lost.
 */
public final class TenantBatch {
  private static final Log LOG = Log.of(TenantBatch.class);

  /**
   * A message as the worker received it. Its body is read only when its turn comes: after one that
   * cannot be read, the rest of the group is not read at all.
   */
  public record Message(
      String id, String receiptHandle, int receiveCount, @Nullable Instant sentAt, Body body) {}

  /** Reads a message's request. */
  @FunctionalInterface
  public interface Body {
    SyncRequest read() throws SyncRequest.InvalidSyncRequestException;
  }

  private final SyncSteps sync;
  private final FailurePolicy policy;
  private final SyncRecords.Tenants connections;

  /** Null leaves the initial sync's completion notice out. */
  private final @Nullable SyncAlerts alerts;

  private final Redelivery redelivery;

  public TenantBatch(
      SyncSteps sync,
      DeferredSyncs deferred,
      Connections connections,
      @Nullable SyncAlerts alerts,
      Redelivery redelivery,
      Clock clock) {
    this(sync, deferred::defer, SyncRecords.Tenants.of(connections), alerts, redelivery, clock);
  }

  TenantBatch(
      SyncSteps sync,
      FailurePolicy.Deferrals deferred,
      SyncRecords.Tenants connections,
      @Nullable SyncAlerts alerts,
      Redelivery redelivery,
      Clock clock) {
    this.sync = sync;
    this.policy = new FailurePolicy(deferred, connections, alerts, clock);
    this.connections = connections;
    this.alerts = alerts;
    this.redelivery = redelivery;
  }

  /** Syncs the group's messages; returns the ids of those that return to the queue. */
  @SuppressWarnings("try") // the scope is used through Log's thread context
  public List<String> process(List<Message> messages) {
    // Fold the readable prefix; a message that cannot be read fails with everything after it.
    List<Message> taken = new ArrayList<>();
    List<SyncRequest> requests = new ArrayList<>();
    List<Message> failed = new ArrayList<>();
    for (Message m : messages) {
      if (!failed.isEmpty()) {
        failed.add(m);
        continue;
      }
      try {
        SyncRequest request = m.body().read();
        if (!requests.isEmpty() && !requests.get(0).tenantId().equals(request.tenantId())) {
          throw new SyncRequest.InvalidSyncRequestException(
              "message group holds another tenant's request");
        }
        requests.add(request);
        taken.add(m);
      } catch (SyncRequest.InvalidSyncRequestException e) {
        LOG.warn(
            "unreadable sync message; it will reach the dead-letter queue",
            "messageId",
            m.id(),
            "reason",
            e.getMessage());
        failed.add(m);
      }
    }
    if (taken.isEmpty()) {
      return returned(failed);
    }
    String tenantId = requests.get(0).tenantId();
    String correlationId = requests.get(0).correlationId();
    try (var scope = Log.scope(Log.TENANT_ID, tenantId, Log.CORRELATION_ID, correlationId)) {
      if (needsReconnect(tenantId)) {
        // Only an admin's reconnect helps, and it starts a full sync: no token refresh (a call to
        // Xero's identity service) per message, and nothing to retry.
        LOG.info(
            "tenant needs to reconnect; sync messages acknowledged without a sync",
            "tenantId",
            tenantId,
            "messages",
            taken.size(),
            "correlationId",
            correlationId);
        return returned(failed);
      }
      return run(tenantId, correlationId, requests, taken, failed);
    }
  }

  /** Every message back to the queue, e.g. when its group's thread broke. */
  public List<String> returned(List<Message> failed) {
    // Each comes back after a backoff by how often the first has been received: while any message
    // of a FIFO group is out, SQS holds the whole group, so a message that keeps failing would
    // otherwise hold its tenant for the visibility timeout per receive.
    if (!failed.isEmpty()) {
      Duration wait = Redelivery.backoff(failed.get(0).receiveCount());
      failed.forEach(m -> redelivery.after(m.receiptHandle(), wait));
    }
    return failed.stream().map(Message::id).toList();
  }

  private List<String> run(
      String tenantId,
      @Nullable String correlationId,
      List<SyncRequest> requests,
      List<Message> taken,
      List<Message> failed) {
    try {
      runFolded(tenantId, correlationId, requests, taken.stream().map(Message::sentAt).toList());
      recordLag(taken);
    } catch (SyncFailure e) {
      if (policy.returnsMessages(tenantId, correlationId, requests, e)) {
        failed.addAll(0, taken);
      }
    } catch (RuntimeException e) {
      if (requests.size() > 1) {
        // Something in one message broke the folded run: run each message alone so only the one
        // that causes it fails. A sync reads Xero's current state, so CHANGES need no order.
        LOG.warn(
            "folded sync failed; running each message alone",
            "tenantId",
            tenantId,
            "messages",
            requests.size(),
            "error",
            e.getClass().getSimpleName());
        List<String> isolated = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
          isolated.addAll(
              run(
                  tenantId,
                  correlationId,
                  List.of(requests.get(i)),
                  List.of(taken.get(i)),
                  new ArrayList<>()));
        }
        isolated.addAll(returned(failed));
        return isolated;
      }
      policy.unexpected(tenantId, correlationId, e);
      failed.addAll(0, taken);
    }
    return returned(failed);
  }

  private void runFolded(
      String tenantId,
      @Nullable String correlationId,
      List<SyncRequest> requests,
      List<Instant> sentAt)
      throws SyncFailure {
    FoldedRequests f = FoldedRequests.of(requests, sentAt);
    if (f.hasChanges()) {
      sync.syncChanges(tenantId, f.invoiceSentAt(), f.changedAt(), f.contactIds(), correlationId);
    }
    try {
      if (!f.creditNoteIds().isEmpty()) {
        sync.syncCredits(
            tenantId, Map.of(XeroAllocation.Kind.CREDIT_NOTE, f.creditNoteIds()), correlationId);
      }
      if (f.initial()) {
        sync.initialSyncStep(tenantId, correlationId);
        if (alerts != null && initialSyncFinished(tenantId)) {
          alerts.initialSyncComplete(tenantId);
        }
      }
      if (f.reconcile()) {
        sync.reconcile(tenantId, correlationId);
      }
    } catch (SyncFailure e) {
      // Every change was fetched and stored; only the steps wait.
      throw e.remaining() == null
          ? e.withRemaining(new SyncFailure.Remaining(List.of(), List.of()))
          : e;
    }
  }

  private boolean needsReconnect(String tenantId) {
    return connections
        .get(tenantId)
        .map(c -> c.status() == ConnectionStatus.NEEDS_RECONNECT)
        .orElse(false);
  }

  private boolean initialSyncFinished(String tenantId) {
    return connections
        .get(tenantId)
        .map(
            c ->
                c.status() == ConnectionStatus.CONNECTED
                    && c.initialSync() != null
                    && c.initialSync().finishedAt() != null)
        .orElse(false);
  }

  /** From the oldest message's arrival on the queue (webhook or schedule) to its changes stored. */
  private static void recordLag(List<Message> done) {
    done.stream()
        .map(Message::sentAt)
        .filter(Objects::nonNull)
        .mapToLong(Instant::toEpochMilli)
        .min()
        .ifPresent(
            sent ->
                Metrics.milliseconds(
                    Metrics.SYNC_LAG_MS, Math.max(0, System.currentTimeMillis() - sent)));
  }
}
