package dev.xerosync.writeback;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Log;
import dev.xerosync.outbox.Operation;
import dev.xerosync.outbox.OperationEvents;
import dev.xerosync.queue.WriteMessage;
import dev.xerosync.queue.WriteQueue;
import dev.xerosync.store.ConnectionRecords;
import java.time.Clock;
import java.util.Locale;

/**
 * Sends accepted operations to the write queue, in the lane of the entity they change, and terminal
 * states to the notification queue, whose function signs and delivers them like every other
 * notification.
 */
final class QueuedOperationEvents implements OperationEvents {
  private static final Log LOG = Log.of(QueuedOperationEvents.class);
  static final String TYPE_PREFIX = "write.";

  private final WriteQueue queue;
  private final ConnectionRecords records;
  private final Clock clock;

  QueuedOperationEvents(WriteQueue queue, ConnectionRecords records, Clock clock) {
    this.queue = queue;
    this.records = records;
    this.clock = clock;
  }

  @Override
  public void dispatch(Operation op) {
    queue.send(new WriteMessage(op.tenantId(), op.operationId()), entity(op));
  }

  /** What the operation changes: an invoice's writes and its payments share one lane. */
  static String entity(Operation op) {
    return switch (op.kind()) {
      case INVOICE_UPSERT, INVOICE_VOID -> "invoice:" + op.externalId();
      case PAYMENT -> "invoice:" + op.invoiceExternalId();
      case DEPOSIT -> "deposit:" + op.externalId();
      case CONTACT_UPSERT -> "contact:" + op.externalId();
      case INVOICE_HISTORY -> "history:" + op.externalId();
      case ACCOUNTING_SETTINGS -> "settings";
    };
  }

  @Override
  public void finished(Operation op) {
    if (!queue.announces()) {
      return;
    }
    try {
      String saasTenantId = records.link(op.tenantId()).map(l -> l.saasTenantId()).orElse(null);
      if (saasTenantId == null) {
        return;
      }
      ObjectNode n = op.toJson();
      String state = op.state().name().toLowerCase(Locale.ROOT);
      n.put("id", op.operationId() + "." + state);
      n.put("type", TYPE_PREFIX + state);
      n.put("saasTenantId", saasTenantId);
      n.put("occurredAt", clock.instant().toString());
      queue.announce(n.toString());
    } catch (RuntimeException e) {
      // The operation's state is stored and readable; a lost notification must not undo it.
      LOG.error("write notification not queued", e, "operationId", op.operationId());
    }
  }
}
