package dev.xerosync.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Holds back requests that Xero's limits stopped, without burning their receive count: they go to a
 * standard delay queue as new messages (SQS delays up to 15 minutes a hop) and are forwarded to the
 * FIFO sync queue when due. A failed message kept invisible instead would count a receive each time
 * and reach the dead-letter queue after a long day limit, though nothing was wrong with it.
 */
public final class DeferredSyncs {
  static final Duration MAX_HOP = Duration.ofMinutes(15);

  private final SqsClient sqs;
  private final String delayQueueUrl;
  private final Clock clock;

  public DeferredSyncs(SqsClient sqs, String delayQueueUrl, Clock clock) {
    this.sqs = sqs;
    this.delayQueueUrl = delayQueueUrl;
    this.clock = clock;
  }

  public void defer(List<SyncRequest> requests, Duration wait) {
    var notBefore = clock.instant().plus(wait);
    for (SyncRequest r : requests) {
      hop(r.notBefore(notBefore));
    }
  }

  /** A request and how long it waits from now. */
  public record Deferred(SyncRequest request, Duration delay) {}

  /**
   * Sends each request to wait its own time, ten to a SendMessageBatch: a sweep of thousands of
   * tenants costs a tenth of the calls (and of the time) of one send each. Entries SQS could not
   * take are sent again, twice at most.
   */
  public void deferEach(List<Deferred> deferred) {
    var now = clock.instant();
    for (int i = 0; i < deferred.size(); i += 10) {
      List<SendMessageBatchRequestEntry> pending = new ArrayList<>();
      var batch = deferred.subList(i, Math.min(deferred.size(), i + 10));
      for (int j = 0; j < batch.size(); j++) {
        SyncRequest r = batch.get(j).request().notBefore(now.plus(batch.get(j).delay()));
        pending.add(
            SendMessageBatchRequestEntry.builder()
                .id(Integer.toString(j))
                .messageBody(r.toJson())
                .delaySeconds(delaySeconds(r))
                .build());
      }
      for (int attempt = 0; attempt < 3 && !pending.isEmpty(); attempt++) {
        var toSend = pending;
        var failed =
            sqs.sendMessageBatch(m -> m.queueUrl(delayQueueUrl).entries(toSend)).failed().stream()
                .map(BatchResultErrorEntry::id)
                .toList();
        pending = toSend.stream().filter(e -> failed.contains(e.id())).toList();
      }
      if (!pending.isEmpty()) {
        throw new IllegalStateException(pending.size() + " deferred syncs could not be enqueued");
      }
    }
  }

  /** Sends the request to wait in the delay queue for what remains of its wait, at most one hop. */
  public void hop(SyncRequest request) {
    int delaySeconds = delaySeconds(request);
    sqs.sendMessage(
        m -> m.queueUrl(delayQueueUrl).messageBody(request.toJson()).delaySeconds(delaySeconds));
  }

  private int delaySeconds(SyncRequest request) {
    long notBeforeMs =
        java.util.Objects.requireNonNull(
            request.notBeforeMs(), "only a deferred request (notBefore) waits in the delay queue");
    long remainingMs = notBeforeMs - clock.millis();
    return (int) Math.max(0, Math.min(MAX_HOP.toSeconds(), (remainingMs + 999) / 1000));
  }
}
