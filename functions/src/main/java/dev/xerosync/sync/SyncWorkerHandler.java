package dev.xerosync.sync;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.xerosync.alerts.ConnectionAlerts;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Metrics;
import dev.xerosync.common.Priming;
import dev.xerosync.queue.DeferredSyncs;
import dev.xerosync.queue.Redelivery;
import dev.xerosync.queue.SyncRequest;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import dev.xerosync.syncengine.SyncFailure;
import dev.xerosync.syncengine.TenantSync;
import dev.xerosync.xero.XeroAllocation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Takes a batch from the FIFO sync queue, folds it per tenant (message group), syncs each tenant
 * once, and reports the messages of failed tenants as batch item failures so only those come back.
 *
 * <p>FIFO rule (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html):
 * within a message group, once one message fails, every later message of that group must fail too,
 * or order is lost. Groups are independent, so other tenants' messages still succeed.
 */
public final class SyncWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Log LOG = Log.of(SyncWorkerHandler.class);

  private final TenantSync sync;
  private final DeferredSyncs deferred;
  private final Connections connections;

  /** Reasons, corrective actions and notifications for connection trouble; null leaves them out. */
  private final ConnectionAlerts alerts;

  private final Redelivery redelivery;

  public SyncWorkerHandler() {
    this(Environment.process());
    Priming.register(SyncWorkerHandler.class, this::prime);
  }

  /**
   * Reads a sync message and a connection that cannot exist: JSON, the DynamoDB client, the store's
   * codecs.
   */
  public void prime() {
    try {
      SyncRequest.fromJson(SyncRequest.reconcile(PRIMING_TENANT, "0", null).toJson());
    } catch (SyncRequest.InvalidSyncRequestException e) {
      throw new IllegalStateException(e);
    }
    connections.get(PRIMING_TENANT);
  }

  static final String PRIMING_TENANT = "00000000-0000-0000-0000-000000000000";

  /** From the function's environment: the process's in Lambda, the local host's locally. */
  public SyncWorkerHandler(Environment env) {
    this(SyncWiring.of(env));
  }

  public SyncWorkerHandler(SyncWiring w) {
    this(w.sync(), w.deferred(), w.connections(), w.alerts(), w.redelivery());
  }

  public SyncWorkerHandler(TenantSync sync, DeferredSyncs deferred, Connections connections) {
    this(sync, deferred, connections, null);
  }

  public SyncWorkerHandler(
      TenantSync sync, DeferredSyncs deferred, Connections connections, ConnectionAlerts alerts) {
    this(sync, deferred, connections, alerts, Redelivery.NONE);
  }

  public SyncWorkerHandler(
      TenantSync sync,
      DeferredSyncs deferred,
      Connections connections,
      ConnectionAlerts alerts,
      Redelivery redelivery) {
    this.sync = sync;
    this.deferred = deferred;
    this.connections = connections;
    this.alerts = alerts;
    this.redelivery = redelivery;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    Map<String, List<SQSEvent.SQSMessage>> groups = new LinkedHashMap<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      groups.computeIfAbsent(groupOf(m), k -> new ArrayList<>()).add(m);
    }
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    if (groups.size() == 1) {
      failures.addAll(processGroup(groups.values().iterator().next()));
      return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
    // Tenants side by side: one tenant waiting on its rate budget (or paced while hot) must not
    // hold up another's changes. Each group stays in order on its own thread.
    List<List<SQSEvent.SQSMessage>> ordered = List.copyOf(groups.values());
    List<Future<List<SQSBatchResponse.BatchItemFailure>>> running = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (var group : ordered) {
        running.add(pool.submit(() -> processGroup(group)));
      }
      for (int i = 0; i < running.size(); i++) {
        failures.addAll(outcome(running.get(i), ordered.get(i)));
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }

  /** A group's failures; if its thread broke outside the group's own handling, all its messages. */
  private List<SQSBatchResponse.BatchItemFailure> outcome(
      Future<List<SQSBatchResponse.BatchItemFailure>> f, List<SQSEvent.SQSMessage> group) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      LOG.error("a tenant's messages failed outside its sync; they return to the queue", e);
      return failures(group);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failures(group);
    }
  }

  @SuppressWarnings("try") // the scope is used through Log's thread context
  private List<SQSBatchResponse.BatchItemFailure> processGroup(List<SQSEvent.SQSMessage> messages) {
    // Fold the readable prefix; a message that cannot be read fails with everything after it.
    List<SQSEvent.SQSMessage> taken = new ArrayList<>();
    List<SyncRequest> requests = new ArrayList<>();
    List<SQSEvent.SQSMessage> failed = new ArrayList<>();
    for (SQSEvent.SQSMessage m : messages) {
      if (!failed.isEmpty()) {
        failed.add(m);
        continue;
      }
      try {
        SyncRequest request =
            InvalidIds.dropFrom(SyncRequest.fromJson(m.getBody()), m.getMessageId());
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
            m.getMessageId(),
            "reason",
            e.getMessage());
        failed.add(m);
      }
    }
    if (requests.isEmpty()) {
      return failures(failed);
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
        return failures(failed);
      }
      return processRequests(tenantId, correlationId, requests, taken, failed);
    }
  }

  private List<SQSBatchResponse.BatchItemFailure> processRequests(
      String tenantId,
      String correlationId,
      List<SyncRequest> requests,
      List<SQSEvent.SQSMessage> taken,
      List<SQSEvent.SQSMessage> failed) {
    try {
      run(tenantId, requests, taken, correlationId);
      recordLag(taken);
    } catch (SyncFailure e) {
      switch (e.kind()) {
        case RATE_LIMITED -> {
          Duration wait = e.retryAfter() == null ? Duration.ofSeconds(60) : e.retryAfter();
          List<SyncRequest> held = heldBack(tenantId, correlationId, requests, e.remaining());
          deferred.defer(held, wait);
          if (e.isDailyLimit()) {
            connections.setStatus(
                tenantId,
                ConnectionStatus.RATE_LIMITED,
                "Xero's daily API limit for this organisation is used up; syncing resumes when it resets.",
                java.time.Instant.now().plus(wait));
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
        }
        case TRANSIENT -> {
          LOG.error(
              "tenant sync failed; messages return to the queue",
              e,
              "tenantId",
              tenantId,
              "correlationId",
              correlationId);
          failed.addAll(0, taken);
          notifySyncError(tenantId, e.getMessage());
        }
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
        List<SQSBatchResponse.BatchItemFailure> isolated = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
          isolated.addAll(
              processRequests(
                  tenantId,
                  correlationId,
                  List.of(requests.get(i)),
                  List.of(taken.get(i)),
                  new ArrayList<>()));
        }
        isolated.addAll(failures(failed));
        return isolated;
      }
      LOG.error(
          "tenant sync failed unexpectedly; messages return to the queue",
          e,
          "tenantId",
          tenantId,
          "correlationId",
          correlationId);
      failed.addAll(0, taken);
      notifySyncError(tenantId, "an unexpected " + e.getClass().getSimpleName());
    }
    return failures(failed);
  }

  /**
   * What a rate limit holds back: when the failure says which changes were not yet fetched, those
   * in one request instead of every CHANGES request folded (what was fetched is stored), and every
   * INITIAL or RECONCILE request as it was.
   */
  static List<SyncRequest> heldBack(
      String tenantId,
      String correlationId,
      List<SyncRequest> requests,
      SyncFailure.Remaining remaining) {
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

  private void run(
      String tenantId,
      List<SyncRequest> requests,
      List<SQSEvent.SQSMessage> messages,
      String correlationId)
      throws SyncFailure {
    // Each invoice id with the latest time a message naming it was sent: a fetch that started
    // after that has seen the change.
    Map<String, Instant> invoiceIds = new LinkedHashMap<>();
    // And the latest time Xero said it changed; unknown (null) wins here too.
    Map<String, Instant> changedAt = new LinkedHashMap<>();
    Set<String> contactIds = new LinkedHashSet<>();
    Set<String> creditNoteIds = new LinkedHashSet<>();
    boolean initial = false;
    boolean reconcile = false;
    for (int i = 0; i < requests.size(); i++) {
      SyncRequest r = requests.get(i);
      Instant sent = sentAt(messages.get(i));
      for (String id : r.invoiceIds()) {
        // Unknown (null) wins: such an id is never taken as covered.
        Instant before = invoiceIds.getOrDefault(id, sent);
        invoiceIds.put(
            id, before == null || sent == null ? null : before.isAfter(sent) ? before : sent);
        Instant changed = r.invoicesChangedUpTo().orElse(null);
        Instant known = changedAt.getOrDefault(id, changed);
        changedAt.put(
            id, known == null || changed == null ? null : known.isAfter(changed) ? known : changed);
      }
      contactIds.addAll(r.contactIds());
      creditNoteIds.addAll(r.creditNoteIds());
      initial |= r.kind() == SyncRequest.Kind.INITIAL;
      reconcile |= r.kind() == SyncRequest.Kind.RECONCILE;
    }
    if (!invoiceIds.isEmpty() || !contactIds.isEmpty()) {
      sync.syncChanges(tenantId, invoiceIds, changedAt, contactIds, correlationId);
    }
    try {
      if (!creditNoteIds.isEmpty()) {
        sync.syncCredits(
            tenantId, Map.of(XeroAllocation.Kind.CREDIT_NOTE, creditNoteIds), correlationId);
      }
      runSteps(tenantId, initial, reconcile, correlationId);
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

  private static Instant sentAt(SQSEvent.SQSMessage m) {
    String sent = m.getAttributes() == null ? null : m.getAttributes().get("SentTimestamp");
    try {
      return sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private void runSteps(String tenantId, boolean initial, boolean reconcile, String correlationId)
      throws SyncFailure {
    if (initial) {
      sync.initialSyncStep(tenantId, correlationId);
      if (alerts != null
          && connections
              .get(tenantId)
              .map(
                  c ->
                      c.status() == ConnectionStatus.CONNECTED
                          && c.initialSync() != null
                          && c.initialSync().finishedAt() != null)
              .orElse(false)) {
        alerts.initialSyncComplete(tenantId);
      }
    }
    if (reconcile) {
      sync.reconcile(tenantId, correlationId);
    }
  }

  /**
   * From the oldest message's arrival on the queue (webhook or schedule) to its changes being
   * stored.
   */
  private static void recordLag(List<SQSEvent.SQSMessage> done) {
    done.stream()
        .map(m -> m.getAttributes() == null ? null : m.getAttributes().get("SentTimestamp"))
        .filter(java.util.Objects::nonNull)
        .mapToLong(Long::parseLong)
        .min()
        .ifPresent(
            sent ->
                Metrics.milliseconds(
                    Metrics.SYNC_LAG_MS, Math.max(0, System.currentTimeMillis() - sent)));
  }

  private void notifySyncError(String tenantId, String cause) {
    if (alerts == null) {
      return;
    }
    try {
      alerts.syncError(tenantId, cause);
    } catch (RuntimeException e) {
      LOG.error("sync error notification failed", e, "tenantId", tenantId);
    }
  }

  /**
   * Failures for these messages, each to come back after a backoff by how often the first has been
   * received: while any message of a FIFO group is out, SQS holds the whole group, so a message
   * that keeps failing would otherwise hold its tenant for the visibility timeout per receive.
   */
  private List<SQSBatchResponse.BatchItemFailure> failures(List<SQSEvent.SQSMessage> failed) {
    if (!failed.isEmpty()) {
      Duration wait = Redelivery.backoff(Redelivery.receiveCount(failed.get(0)));
      failed.forEach(m -> redelivery.after(m.getReceiptHandle(), wait));
    }
    return failed.stream()
        .map(m -> new SQSBatchResponse.BatchItemFailure(m.getMessageId()))
        .toList();
  }

  private static String groupOf(SQSEvent.SQSMessage m) {
    Map<String, String> attributes = m.getAttributes();
    String group = attributes == null ? null : attributes.get("MessageGroupId");
    return group == null ? "" : group;
  }
}
