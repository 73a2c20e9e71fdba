package dev.xerosync.queue;

import dev.xerosync.common.Sha256;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The FIFO sync queue. Each tenant is its own message group, so one tenant's changes apply in order
 * and a tenant in a storm backs up only its own group. The deduplication id is a hash of the
 * content: Xero's retries of a delivery we already took are dropped by SQS within its 5-minute
 * window (the webhook computes it from the delivery's events; see {@code DeliveryFold}).
 */
public final class SyncQueue {
  private static final int MAX_BATCH = 10;

  private final SqsClient sqs;
  private final String queueUrl;

  public SyncQueue(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  /**
   * Warms the SQS client for a SnapStart snapshot with a request SQS refuses (an empty batch),
   * under the sqs:SendMessage the function already has: nothing is sent.
   */
  public void prime() {
    try {
      sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(List.of()));
    } catch (software.amazon.awssdk.core.exception.SdkException expected) {
      // EmptyBatchRequest: the whole request path ran, which is all a prime wants.
    }
  }

  /** Requests not tied to a webhook (reconciliation, initial sync) are deduplicated by content. */
  public void send(SyncRequest request) {
    send(List.of(new Message(request, Sha256.hex(request.deduplicationKey()))));
  }

  /** A request and the id SQS deduplicates it by (within its 5-minute window). */
  public record Message(SyncRequest request, String deduplicationId) {}

  /** Sends messages in batches of 10, retrying the entries SQS could not take. */
  public void send(List<Message> messages) {
    for (int i = 0; i < messages.size(); i += MAX_BATCH) {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      List<Message> batch = messages.subList(i, Math.min(messages.size(), i + MAX_BATCH));
      for (int j = 0; j < batch.size(); j++) {
        entries.add(
            SendMessageBatchRequestEntry.builder()
                .id(Integer.toString(j))
                .messageBody(batch.get(j).request().toJson())
                .messageGroupId(batch.get(j).request().tenantId())
                .messageDeduplicationId(batch.get(j).deduplicationId())
                .build());
      }
      sendWithRetry(entries);
    }
  }

  private void sendWithRetry(List<SendMessageBatchRequestEntry> entries) {
    List<SendMessageBatchRequestEntry> pending = entries;
    for (int attempt = 0; attempt < 3 && !pending.isEmpty(); attempt++) {
      List<SendMessageBatchRequestEntry> toSend = pending;
      SendMessageBatchResponse response =
          sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(toSend));
      Set<String> failed = new LinkedHashSet<>();
      for (BatchResultErrorEntry error : response.failed()) {
        if (error.senderFault()) {
          throw new IllegalStateException("SQS refused a sync message: " + error.code());
        }
        failed.add(error.id());
      }
      pending = toSend.stream().filter(e -> failed.contains(e.id())).toList();
    }
    if (!pending.isEmpty()) {
      throw new IllegalStateException(pending.size() + " sync messages could not be enqueued");
    }
  }
}
