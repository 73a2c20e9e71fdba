package dev.xerosync.infra.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * A local Lambda SQS event source mapping: long-polls the queue, hands batches to the handler as
 * SQSEvent, and deletes what succeeded. With ReportBatchItemFailures it deletes all but the
 * reported failures; a thrown exception, or a failure id not in the batch, fails the whole batch,
 * as Lambda does. Failed messages simply become visible again, so the queue's redrive policy
 * decides when they go to the dead-letter queue.
 */
public final class SqsEventSource implements AutoCloseable {
  /** How the mapping is configured, as template.yaml's SQS event says. */
  public record Mapping(
      String functionName,
      String queueUrl,
      String queueArn,
      int batchSize,
      Duration visibilityTimeout,
      boolean reportBatchItemFailures,
      int pollers,
      Duration functionTimeout) {}

  private final SqsClient sqs;
  private final Mapping mapping;
  private final RequestHandler<SQSEvent, SQSBatchResponse> handler;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  public SqsEventSource(
      SqsClient sqs, Mapping mapping, RequestHandler<SQSEvent, SQSBatchResponse> handler) {
    this(sqs, mapping, handler, Clock.systemUTC());
  }

  /**
   * With the clock the functions read: the queue's own timestamps are told in it, as in AWS, where
   * SQS and Lambda share real time. The local queue stamps messages with the machine's time, so
   * with a moved clock (the simulator's, POST /_sim/clock) a function would see a message sent
   * before a read it started after the message arrived.
   */
  public SqsEventSource(
      SqsClient sqs,
      Mapping mapping,
      RequestHandler<SQSEvent, SQSBatchResponse> handler,
      Clock clock) {
    this.sqs = sqs;
    this.mapping = mapping;
    this.handler = handler;
    this.clock = clock;
  }

  public SqsEventSource start() {
    for (int i = 0; i < mapping.pollers(); i++) {
      threads.add(
          Thread.ofPlatform()
              .daemon()
              .name("sqs-poller-" + mapping.functionName() + "-" + i)
              .start(this::pollLoop));
    }
    return this;
  }

  private void pollLoop() {
    while (running.get()) {
      try {
        pollOnce();
      } catch (RuntimeException e) {
        if (running.get()) {
          System.err.println("[sqs] " + mapping.functionName() + " poll failed: " + e);
          sleep(Duration.ofMillis(500));
        }
      }
    }
  }

  /** One receive-invoke-delete cycle; returns how many messages were delivered. */
  public int pollOnce() {
    ReceiveMessageResponse received =
        sqs.receiveMessage(
            r -> {
              r.queueUrl(mapping.queueUrl())
                  .maxNumberOfMessages(Math.min(10, mapping.batchSize()))
                  .waitTimeSeconds(1)
                  .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                  .messageAttributeNames("All");
              if (mapping.visibilityTimeout() != null) {
                r.visibilityTimeout((int) mapping.visibilityTimeout().toSeconds());
              }
            });
    if (!received.hasMessages() || received.messages().isEmpty()) {
      return 0;
    }
    List<Message> messages = received.messages();
    SQSEvent event = toEvent(messages);
    batches.incrementAndGet();
    Set<String> failedIds;
    try {
      SQSBatchResponse response =
          handler.handleRequest(
              event, new LocalContext(mapping.functionName(), mapping.functionTimeout()));
      failedIds = failedIds(response, messages);
    } catch (RuntimeException | Error e) {
      // An exception, or the process dying (a crash is an Error here): Lambda deletes nothing.
      System.err.println(
          "[sqs] "
              + mapping.functionName()
              + " failed; the whole batch returns to the queue: "
              + e);
      failedIds = allIds(messages);
    }
    List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
    for (Message m : messages) {
      if (!failedIds.contains(m.messageId())) {
        deletes.add(
            DeleteMessageBatchRequestEntry.builder()
                .id(m.messageId())
                .receiptHandle(m.receiptHandle())
                .build());
      }
    }
    if (!deletes.isEmpty()) {
      sqs.deleteMessageBatch(r -> r.queueUrl(mapping.queueUrl()).entries(deletes));
    }
    deleted.addAndGet(deletes.size());
    failed.addAndGet(failedIds.size());
    return messages.size();
  }

  private Set<String> failedIds(SQSBatchResponse response, List<Message> messages) {
    if (!mapping.reportBatchItemFailures()
        || response == null
        || response.getBatchItemFailures() == null) {
      return Set.of();
    }
    Set<String> inBatch = allIds(messages);
    Set<String> ids = new HashSet<>();
    for (var failure : response.getBatchItemFailures()) {
      String id = failure.getItemIdentifier();
      if (id == null || id.isBlank() || !inBatch.contains(id)) {
        // Lambda treats an unknown or empty identifier as a failure of the whole batch.
        return inBatch;
      }
      ids.add(id);
    }
    return ids;
  }

  private static Set<String> allIds(List<Message> messages) {
    Set<String> ids = new HashSet<>();
    messages.forEach(m -> ids.add(m.messageId()));
    return ids;
  }

  /** The attributes that date a message (epoch milliseconds). */
  private static final List<String> STAMPS =
      List.of("SentTimestamp", "ApproximateFirstReceiveTimestamp");

  private SQSEvent toEvent(List<Message> messages) {
    long shiftMs = clock.millis() - System.currentTimeMillis();
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (Message m : messages) {
      SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
      record.setMessageId(m.messageId());
      record.setReceiptHandle(m.receiptHandle());
      record.setBody(m.body());
      record.setMd5OfBody(m.md5OfBody());
      record.setMd5OfMessageAttributes(m.md5OfMessageAttributes());
      Map<String, String> attributes = new HashMap<>();
      m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
      for (String stamp : STAMPS) {
        attributes.computeIfPresent(stamp, (k, v) -> Long.toString(Long.parseLong(v) + shiftMs));
      }
      record.setAttributes(attributes);
      Map<String, SQSEvent.MessageAttribute> messageAttributes = new HashMap<>();
      m.messageAttributes()
          .forEach(
              (k, v) -> {
                SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
                a.setDataType(v.dataType());
                a.setStringValue(v.stringValue());
                messageAttributes.put(k, a);
              });
      record.setMessageAttributes(messageAttributes);
      record.setEventSource("aws:sqs");
      record.setEventSourceArn(mapping.queueArn());
      record.setAwsRegion("us-east-1");
      records.add(record);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return event;
  }

  public long batches() {
    return batches.get();
  }

  public long deleted() {
    return deleted.get();
  }

  public long failed() {
    return failed.get();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running.set(false);
    for (Thread t : threads) {
      try {
        t.join(3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
