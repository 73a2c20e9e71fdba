package dev.xerosync.sync;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.notify.ConnectionAlerts;
import dev.xerosync.notify.EventRelay;
import dev.xerosync.queue.DeferredSyncs;
import dev.xerosync.queue.Redelivery;
import dev.xerosync.queue.SyncRequest;
import dev.xerosync.store.Connections;
import dev.xerosync.syncengine.TenantBatch;
import dev.xerosync.syncengine.TenantSync;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Takes a batch from the FIFO sync queue, splits it per tenant (message group), hands each tenant's
 * messages to {@link TenantBatch}, and reports the messages it returns as batch item failures so
 * only those come back. Groups are independent, so other tenants' messages still succeed.
 */
public final class SyncWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Log LOG = Log.of(SyncWorkerHandler.class);

  static final String PRIMING_TENANT = "00000000-0000-0000-0000-000000000000";

  private final TenantBatch tenants;
  private final Connections connections;
  private final @Nullable EventRelay events;

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

  /** From the function's environment: the process's in Lambda, the local host's locally. */
  public SyncWorkerHandler(Environment env) {
    this(SyncWiring.of(env));
  }

  public SyncWorkerHandler(SyncWiring w) {
    this(
        w.sync(), w.deferred(), w.connections(), w.alerts(), w.redelivery(), w.events(), w.clock());
  }

  public SyncWorkerHandler(
      TenantSync sync, DeferredSyncs deferred, Connections connections, Clock clock) {
    this(sync, deferred, connections, null, Redelivery.NONE, null, clock);
  }

  /**
   * {@code alerts} null leaves reasons, corrective actions and notifications out; {@code events}
   * publishes, after each tenant's messages, business events a crash left logged but unpublished
   * (one read of the tenant's event head when there are none).
   */
  public SyncWorkerHandler(
      TenantSync sync,
      DeferredSyncs deferred,
      Connections connections,
      @Nullable ConnectionAlerts alerts,
      Redelivery redelivery,
      @Nullable EventRelay events,
      Clock clock) {
    this.tenants =
        new TenantBatch(sync, deferred, connections, SyncWiring.alerts(alerts), redelivery, clock);
    this.connections = connections;
    this.events = events;
  }

  /** The group's messages, then its tenant's unpublished events. */
  private List<String> process(String tenantId, List<TenantBatch.Message> group) {
    List<String> failed = tenants.process(group);
    if (events != null && !tenantId.isEmpty()) {
      events.relay(tenantId);
    }
    return failed;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    Map<String, List<TenantBatch.Message>> groups = new LinkedHashMap<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      groups.computeIfAbsent(groupOf(m), k -> new ArrayList<>()).add(read(m));
    }
    List<String> failed = new ArrayList<>();
    if (groups.size() == 1) {
      var only = groups.entrySet().iterator().next();
      failed.addAll(process(only.getKey(), only.getValue()));
    } else {
      // Tenants side by side: one tenant waiting on its rate budget (or paced while hot) must not
      // hold up another's changes. Each group stays in order on its own thread.
      List<List<TenantBatch.Message>> ordered = List.copyOf(groups.values());
      List<Future<List<String>>> running = new ArrayList<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (var group : groups.entrySet()) {
          running.add(pool.submit(() -> process(group.getKey(), group.getValue())));
        }
        for (int i = 0; i < running.size(); i++) {
          failed.addAll(outcome(running.get(i), ordered.get(i)));
        }
      }
    }
    return SQSBatchResponse.builder()
        .withBatchItemFailures(failed.stream().map(SQSBatchResponse.BatchItemFailure::new).toList())
        .build();
  }

  /** A group's failures; if its thread broke outside the group's own handling, all its messages. */
  private List<String> outcome(Future<List<String>> f, List<TenantBatch.Message> group) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      LOG.error("a tenant's messages failed outside its sync; they return to the queue", e);
      return tenants.returned(group);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return tenants.returned(group);
    }
  }

  /** The message, its body read (ids that name nothing in Xero dropped) when its turn comes. */
  private static TenantBatch.Message read(SQSEvent.SQSMessage m) {
    return new TenantBatch.Message(
        m.getMessageId(),
        m.getReceiptHandle(),
        Redelivery.receiveCount(m),
        sentAt(m),
        () -> InvalidIds.dropFrom(SyncRequest.fromJson(m.getBody()), m.getMessageId()));
  }

  private static @Nullable Instant sentAt(SQSEvent.SQSMessage m) {
    String sent = m.getAttributes() == null ? null : m.getAttributes().get("SentTimestamp");
    try {
      return sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String groupOf(SQSEvent.SQSMessage m) {
    Map<String, String> attributes = m.getAttributes();
    String group = attributes == null ? null : attributes.get("MessageGroupId");
    return group == null ? "" : group;
  }
}
