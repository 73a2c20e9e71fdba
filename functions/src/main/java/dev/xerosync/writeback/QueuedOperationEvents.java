package dev.xerosync.writeback;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Log;
import dev.xerosync.outbox.Operation;
import dev.xerosync.outbox.OperationEvents;
import dev.xerosync.store.ConnectionRecords;
import java.time.Clock;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Sends accepted operations to the FIFO write queue and terminal states to the notification queue,
 * whose function signs and delivers them like every other notification.
 *
 * <p>A tenant's writes go to {@link #LANES} message groups, chosen by the entity they change: an
 * invoice, its void and its payments share one lane, so they reach Xero in the order they were
 * accepted, while other entities' writes pass them. One group per tenant made every write wait for
 * all the tenant's earlier ones (and for each one's retries); the chaos benchmark measured that
 * queueing as nearly all of the accept-to-succeeded time. Four lanes keep a tenant's write calls at
 * four at once, under Xero's five concurrent calls per tenant with room for the sync.
 */
final class QueuedOperationEvents implements OperationEvents {
  private static final Log LOG = Log.of(QueuedOperationEvents.class);
  static final String TYPE_PREFIX = "write.";
  static final int LANES = 4;

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
                .messageGroupId(group(op))
                .messageDeduplicationId(op.operationId()));
  }

  /** The message group: the tenant and the lane of the entity the operation changes. */
  static String group(Operation op) {
    String entity =
        switch (op.kind()) {
          case INVOICE_UPSERT, INVOICE_VOID -> "invoice:" + op.externalId();
          case PAYMENT -> "invoice:" + op.invoiceExternalId();
          case DEPOSIT -> "deposit:" + op.externalId();
          case CONTACT_UPSERT -> "contact:" + op.externalId();
          case INVOICE_HISTORY -> "history:" + op.externalId();
          case ACCOUNTING_SETTINGS -> "settings";
        };
    return op.tenantId() + "." + lane(entity);
  }

  /** String.hashCode is specified, so a lane never changes between deployments. */
  static int lane(String entity) {
    return Math.floorMod(entity.hashCode(), LANES);
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
