package dev.xerosync.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.xerosync.common.Json;
import dev.xerosync.common.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The FIFO queue of deliveries: one message per (subscription, event). The message group is the
 * subscription and the event's subject (an invoice, a contact, a tenant, an operation), so a
 * subject's events reach the consumer in order, and a consumer that is down holds back only its own
 * groups. The deduplication id is the subscription and the event id, so a second publish of the
 * same event within SQS's 5-minute window is dropped; past it, the consumer deduplicates on {@code
 * webhook-id}.
 */
public final class EventQueue {
  /** SQS allows 10 entries and 256 KiB per batch; the envelope's few fields fit in the margin. */
  static final int MAX_ENTRIES = 10;

  static final int MAX_BATCH_BYTES = 200 * 1024;

  /**
   * One delivery: {@code body} is the event exactly as it is POSTed and signed. {@code
   * subscriptionId} is {@link #NOTIFICATION_URL} for the SaaS tenant's notification URL.
   */
  public record Delivery(
      String saasTenantId,
      String subscriptionId,
      String eventId,
      String type,
      String subjectId,
      String body) {
    public static Delivery parse(String json) throws IOException {
      return Json.MAPPER.readValue(json, Delivery.class);
    }

    String toJson() {
      try {
        return Json.MAPPER.writeValueAsString(this);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("delivery could not be serialised", e);
      }
    }
  }

  /** The subscription id that stands for the notification URL set with PUT notification-url. */
  public static final String NOTIFICATION_URL = "notification-url";

  private final SqsClient sqs;
  private final String queueUrl;

  public EventQueue(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  /** Sends in order; throws when SQS refused any, so the caller's own retry sends them again. */
  public void send(List<Delivery> deliveries) {
    List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
    int bytes = 0;
    for (Delivery d : deliveries) {
      String body = d.toJson();
      int size = body.getBytes(StandardCharsets.UTF_8).length;
      if (!batch.isEmpty() && (batch.size() == MAX_ENTRIES || bytes + size > MAX_BATCH_BYTES)) {
        flush(batch);
        batch = new ArrayList<>();
        bytes = 0;
      }
      batch.add(
          SendMessageBatchRequestEntry.builder()
              .id(Integer.toString(batch.size()))
              .messageBody(body)
              .messageGroupId(group(d.subscriptionId(), d.subjectId()))
              .messageDeduplicationId(Sha256.hex(d.subscriptionId() + "/" + d.eventId()))
              .build());
      bytes += size;
    }
    if (!batch.isEmpty()) {
      flush(batch);
    }
  }

  private void flush(List<SendMessageBatchRequestEntry> entries) {
    var r = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
    if (r.hasFailed() && !r.failed().isEmpty()) {
      throw new IllegalStateException(
          r.failed().size() + " event deliveries not queued: " + r.failed().get(0).code());
    }
  }

  /**
   * SQS allows 128 characters in a group id; a subject id is a GUID, so this stays well inside it,
   * and a longer pair is hashed rather than cut (cutting could merge two subjects' groups).
   */
  static String group(String subscriptionId, String subjectId) {
    String g = subscriptionId + "." + subjectId;
    return g.length() <= 128 ? g : Sha256.hex(g);
  }
}
