package dev.xerosync.sync;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.common.Sha256;
import dev.xerosync.queue.DeferredSyncs;
import dev.xerosync.queue.SyncQueue;
import dev.xerosync.queue.SyncRequest;
import dev.xerosync.store.Connections;
import dev.xerosync.syncengine.InitialSyncStarter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * On schedule, queues a reconciliation sweep for every connected tenant that is due ({@link
 * SweepPacing#due}: hourly, or less often for a tenant whose last sweep was clean), and re-queues
 * initial syncs that stopped moving. The sweep itself runs in the worker, in the tenant's FIFO
 * group, so it shares the tenant's rate budget and never runs beside another sync of the same
 * tenant. Sweeps are paced ({@link SweepPacing}): each waits its turn in the delay queue, so
 * webhook changes never queue behind thousands of them.
 */
public final class ReconcileHandler implements RequestHandler<ScheduledEvent, String> {
  private static final Log LOG = Log.of(ReconcileHandler.class);

  private final Connections connections;
  private final SyncQueue queue;

  /** Null, like {@code pacing}, when every sweep is queued at once. */
  private final @Nullable DeferredSyncs deferred;

  private final @Nullable SweepPacing pacing;
  private final Clock clock;

  public ReconcileHandler() {
    this(Environment.process());
    Priming.register(ReconcileHandler.class, this::prime);
  }

  /** Reads a connection that cannot exist and warms the SQS client; queues nothing. */
  public void prime() {
    connections.get(SyncWorkerHandler.PRIMING_TENANT);
    queue.prime();
  }

  /** From the function's environment: the process's in Lambda, the local host's locally. */
  public ReconcileHandler(Environment env) {
    this(SyncWiring.connections(env), SyncWiring.Queues.of(env));
  }

  public ReconcileHandler(Connections connections, SyncWiring.Queues queues) {
    this(connections, queues.sync(), queues.delay(), SweepPacing.DEFAULT, queues.clock());
  }

  /** Queues every sweep at once: for benchmarks that time one sweep of a few tenants. */
  public ReconcileHandler(Connections connections, SyncQueue queue, Clock clock) {
    this(connections, queue, null, null, clock);
  }

  public ReconcileHandler(
      Connections connections,
      SyncQueue queue,
      @Nullable DeferredSyncs deferred,
      @Nullable SweepPacing pacing,
      Clock clock) {
    this.connections = connections;
    this.queue = queue;
    this.deferred = deferred;
    this.pacing = pacing;
    this.clock = clock;
  }

  @Override
  @SuppressWarnings("try") // the scope is used through Log's thread context
  public String handleRequest(ScheduledEvent event, Context context) {
    // The invocation's request id correlates this run's log lines with the sweeps it queues.
    String correlationId =
        context != null ? context.getAwsRequestId() : event == null ? null : event.getId();
    try (var scope = Log.scope(Log.CORRELATION_ID, correlationId)) {
      return queueSweeps(correlationId);
    }
  }

  private String queueSweeps(@Nullable String correlationId) {
    Instant now = clock.instant();
    String window = Long.toString(now.getEpochSecond() / 60);
    int sweeps = 0;
    int skipped = 0;
    int resumed = 0;
    var tenants = connections.registered();
    // Quiet tenants with healthy webhooks are swept less often (SweepPacing.due); the rest pace.
    List<SyncRequest> sweepsDue = new ArrayList<>();
    // Sent in batches of ten after the loop: one call per tenant ran out of time at a few thousand.
    List<SyncQueue.Message> due = new ArrayList<>();
    for (Connections.Registered tenant : tenants) {
      switch (tenant.status()) {
        case CONNECTED, RATE_LIMITED -> {
          if (pacing == null
              || pacing.due(tenant.tenantId(), now, tenant.sweptAt(), tenant.sweepClean())) {
            sweepsDue.add(SyncRequest.reconcile(tenant.tenantId(), window, correlationId));
          } else {
            skipped++;
          }
        }
        case PENDING, SYNCING -> {
          // Deduplicated against a step already queued, so a healthy sync is not doubled.
          connections
              .get(tenant.tenantId())
              .map(c -> c.initialSync())
              .ifPresent(
                  s ->
                      due.add(
                          message(
                              SyncRequest.initialStep(
                                  tenant.tenantId(),
                                  InitialSyncStarter.stepOf(s),
                                  correlationId))));
          resumed++;
        }
        default -> {}
      }
    }
    Duration last = Duration.ZERO;
    List<DeferredSyncs.Deferred> later = new ArrayList<>();
    for (SyncRequest sweep : sweepsDue) {
      Duration offset = pacing == null ? Duration.ZERO : pacing.offset(sweeps, sweepsDue.size());
      if (offset.toMillis() < 1000) {
        due.add(message(sweep));
      } else {
        later.add(new DeferredSyncs.Deferred(sweep, offset));
      }
      last = offset;
      sweeps++;
    }
    queue.send(due);
    if (!later.isEmpty()) {
      // Only pacing defers a sweep, and it comes with the delay queue.
      Objects.requireNonNull(deferred, "paced sweeps need the delay queue").deferEach(later);
    }
    LOG.info(
        "reconciliation queued",
        "sweeps",
        sweeps,
        "sweepsNotDue",
        skipped,
        "lastSweepStartsInSeconds",
        last.toSeconds(),
        "initialSyncsNudged",
        resumed);
    return "queued " + sweeps + " sweeps";
  }

  /** Deduplicated by content, as SyncQueue.send(SyncRequest) does. */
  private static SyncQueue.Message message(SyncRequest request) {
    return new SyncQueue.Message(request, Sha256.hex(request.deduplicationKey()));
  }
}
