package dev.xerosync.sync;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.queue.DeferredSyncs;
import dev.xerosync.queue.SyncQueue;
import dev.xerosync.queue.SyncRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Forwards held-back sync requests to the FIFO sync queue once due, or sends them on another hop.
 */
public final class DelayedSyncHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Log LOG = Log.of(DelayedSyncHandler.class);

  private final DeferredSyncs deferred;
  private final SyncQueue queue;
  private final Clock clock;

  public DelayedSyncHandler() {
    this(Environment.process());
    Priming.register(DelayedSyncHandler.class, this::prime);
  }

  /** Reads a sync message and warms the SQS client; forwards nothing. */
  public void prime() {
    try {
      SyncRequest.fromJson(
          SyncRequest.reconcile(SyncWorkerHandler.PRIMING_TENANT, "0", null).toJson());
    } catch (SyncRequest.InvalidSyncRequestException e) {
      throw new IllegalStateException(e);
    }
    queue.prime();
  }

  /** From the function's environment: the process's in Lambda, the local host's locally. */
  public DelayedSyncHandler(Environment env) {
    this(SyncWiring.Queues.of(env));
  }

  public DelayedSyncHandler(SyncWiring.Queues queues) {
    this(queues.delay(), queues.sync(), queues.clock());
  }

  public DelayedSyncHandler(DeferredSyncs deferred, SyncQueue queue, Clock clock) {
    this.deferred = deferred;
    this.queue = queue;
    this.clock = clock;
  }

  @SuppressWarnings("try") // the scope is used through Log's thread context
  private void forward(SyncRequest request) {
    try (var scope =
        Log.scope(Log.TENANT_ID, request.tenantId(), Log.CORRELATION_ID, request.correlationId())) {
      if (request.notBeforeMs() != null && request.notBeforeMs() > clock.millis() + 1000) {
        deferred.hop(request);
      } else {
        queue.send(request);
      }
    }
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      try {
        SyncRequest request = SyncRequest.fromJson(m.getBody());
        forward(request);
      } catch (SyncRequest.InvalidSyncRequestException e) {
        LOG.warn(
            "unreadable delayed sync message; it will reach the dead-letter queue",
            "messageId",
            m.getMessageId());
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
      } catch (RuntimeException e) {
        LOG.error("delayed sync message could not be forwarded", e, "messageId", m.getMessageId());
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
      }
    }
    return new SQSBatchResponse(failures);
  }
}
