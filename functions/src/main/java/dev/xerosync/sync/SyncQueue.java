package dev.xerosync.sync;

import dev.xerosync.webhook.WebhookDelivery;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The FIFO sync queue. Each tenant is its own message group, so one tenant's changes apply in order
 * and a tenant in a storm backs up only its own group. The deduplication id is a hash of the
 * content: Xero's retries of a delivery we already took are dropped by SQS within its 5-minute
 * window.
 */
public final class SyncQueue {
  /** Keeps a message far below SQS's 256 KiB: a UUID is 36 bytes. */
  static final int MAX_IDS_PER_MESSAGE = 2000;

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

  /**
   * Enqueues a delivery's events as one request per tenant; returns how many messages were sent.
   */
  public int enqueue(List<WebhookDelivery.Event> events, String correlationId) {
    Map<String, List<WebhookDelivery.Event>> byTenant = new LinkedHashMap<>();
    for (var e : events) {
      byTenant.computeIfAbsent(e.tenantId(), k -> new ArrayList<>()).add(e);
    }
    List<Message> messages = new ArrayList<>();
    for (var entry : byTenant.entrySet()) {
      Set<String> invoices = new LinkedHashSet<>();
      Set<String> contacts = new LinkedHashSet<>();
      for (var e : entry.getValue()) {
        switch (e.eventCategory()) {
          case "INVOICE" -> invoices.add(e.resourceId());
          case "CONTACT" -> contacts.add(e.resourceId());
          default -> {} // Categories we do not sync are acknowledged and ignored.
        }
      }
      if (invoices.isEmpty() && contacts.isEmpty()) {
        continue;
      }
      // The events themselves identify the change: a redelivery hashes the same, a later change
      // does not.
      String eventsHash =
          sha256(
              entry.getValue().stream()
                  .map(
                      e ->
                          e.eventCategory()
                              + "|"
                              + e.eventType()
                              + "|"
                              + e.resourceId()
                              + "|"
                              + e.eventDateUtc())
                  .sorted()
                  .reduce(entry.getKey(), (a, b) -> a + "\n" + b));
      List<String> inv = List.copyOf(invoices);
      List<String> con = List.copyOf(contacts);
      for (int i = 0; i < Math.max(inv.size(), con.size()); i += MAX_IDS_PER_MESSAGE) {
        var request = new SyncRequest(entry.getKey(), slice(inv, i), slice(con, i), correlationId);
        messages.add(new Message(request, i == 0 ? eventsHash : sha256(eventsHash + "#" + i)));
      }
    }
    send(messages);
    return messages.size();
  }

  /** Requests not tied to a webhook (reconciliation, initial sync) are deduplicated by content. */
  public void send(SyncRequest request) {
    send(List.of(new Message(request, sha256(request.deduplicationKey()))));
  }

  private record Message(SyncRequest request, String deduplicationId) {}

  private void send(List<Message> messages) {
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

  private static List<String> slice(List<String> ids, int from) {
    return from >= ids.size()
        ? List.of()
        : ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_MESSAGE));
  }

  static String sha256(String body) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
