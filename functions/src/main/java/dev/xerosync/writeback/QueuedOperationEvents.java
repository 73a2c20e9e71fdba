package dev.xerosync.writeback;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Log;
import dev.xerosync.outbox.Operation;
import dev.xerosync.outbox.OperationEvents;
import dev.xerosync.store.ConnectionRecords;
import java.time.Clock;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Sends accepted operations to the FIFO write queue (one message group per tenant, so a tenant's
 * writes reach Xero in the order they were accepted) and terminal states to the notification queue,
 * whose function signs and delivers them like every other notification.
 */
final class QueuedOperationEvents implements OperationEvents {
  private static final Log LOG = Log.of(QueuedOperationEvents.class);
  static final String TYPE_PREFIX = "write.";

  private final SqsClient sqs;
  private final String writeQueueUrl;
  private final String notificationQueueUrl;
  private final ConnectionRecords records;
  private final Clock clock;

  QueuedOperationEvents(
      SqsClient sqs,
      String writeQueueUrl,
      String notificationQueueUrl,
      ConnectionRecords records,
      Clock clock) {
    this.sqs = sqs;
    this.writeQueueUrl = writeQueueUrl;
    this.notificationQueueUrl = notificationQueueUrl;
    this.records = records;
    this.clock = clock;
  }

  @Override
  public void dispatch(Operation op) {
    String body = new WriteMessage(op.tenantId(), op.operationId()).toJson();
    sqs.sendMessage(
        r ->
            r.queueUrl(writeQueueUrl)
                .messageBody(body)
                .messageGroupId(op.tenantId())
                .messageDeduplicationId(op.operationId()));
  }

  @Override
  public void finished(Operation op) {
    if (notificationQueueUrl == null) {
      return;
    }
    try {
      String saasTenantId = records.link(op.tenantId()).map(l -> l.saasTenantId()).orElse(null);
      if (saasTenantId == null) {
        return;
      }
      ObjectNode n = op.toJson();
      n.put("id", op.operationId() + "." + op.state().name().toLowerCase(java.util.Locale.ROOT));
      n.put("type", TYPE_PREFIX + op.state().name().toLowerCase(java.util.Locale.ROOT));
      n.put("saasTenantId", saasTenantId);
      n.put("occurredAt", clock.instant().toString());
      String body = n.toString();
      sqs.sendMessage(r -> r.queueUrl(notificationQueueUrl).messageBody(body));
    } catch (RuntimeException e) {
      // The operation's state is stored and readable; a lost notification must not undo it.
      LOG.error("write notification not queued", e, "operationId", op.operationId());
    }
  }
}
