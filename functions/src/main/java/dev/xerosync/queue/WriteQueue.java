package dev.xerosync.queue;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The FIFO write queue, and the notification queue that carries write outcomes.
 *
 * <p>A tenant's writes go to {@link #LANES} message groups, chosen by the entity they change: an
 * invoice, its void and its payments share one lane, so they reach Xero in the order they were
 * accepted, while other entities' writes pass them. One group per tenant made every write wait for
 * all the tenant's earlier ones (and for each one's retries); the chaos benchmark measured that
 * queueing as nearly all of the accept-to-succeeded time. Four lanes keep a tenant's write calls at
 * four at once, under Xero's five concurrent calls per tenant with room for the sync.
 */
public final class WriteQueue {
  public static final int LANES = 4;

  private final SqsClient sqs;
  private final String writeQueueUrl;
  private final @Nullable String notificationQueueUrl;

  /** {@code notificationQueueUrl} may be null: outcomes are then not announced. */
  public WriteQueue(SqsClient sqs, String writeQueueUrl, @Nullable String notificationQueueUrl) {
    this.sqs = sqs;
    this.writeQueueUrl = writeQueueUrl;
    this.notificationQueueUrl = notificationQueueUrl;
  }

  /**
   * Queues the operation in the lane of {@code entity} (e.g. {@code invoice:<id>}); SQS drops a
   * second send of the same operation within its 5-minute deduplication window.
   */
  public void send(WriteMessage message, String entity) {
    String body = message.toJson();
    sqs.sendMessage(
        r ->
            r.queueUrl(writeQueueUrl)
                .messageBody(body)
                .messageGroupId(group(message.tenantId(), entity))
                .messageDeduplicationId(message.operationId()));
  }

  /** Queues a write's outcome for the notification function to sign and deliver. */
  public void announce(String notificationBody) {
    if (notificationQueueUrl != null) {
      sqs.sendMessage(r -> r.queueUrl(notificationQueueUrl).messageBody(notificationBody));
    }
  }

  public boolean announces() {
    return notificationQueueUrl != null;
  }

  /** The message group: the tenant and the lane of the entity the operation changes. */
  public static String group(String tenantId, String entity) {
    return tenantId + "." + lane(entity);
  }

  /** String.hashCode is specified, so a lane never changes between deployments. */
  public static int lane(String entity) {
    return Math.floorMod(entity.hashCode(), LANES);
  }
}
