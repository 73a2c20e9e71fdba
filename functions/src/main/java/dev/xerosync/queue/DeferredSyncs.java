package dev.xerosync.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

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

  /** Sends the request to wait in the delay queue for what remains of its wait, at most one hop. */
  public void hop(SyncRequest request) {
    long notBeforeMs =
        java.util.Objects.requireNonNull(
            request.notBeforeMs(), "only a deferred request (notBefore) waits in the delay queue");
    long remainingMs = notBeforeMs - clock.millis();
    int delaySeconds = (int) Math.max(0, Math.min(MAX_HOP.toSeconds(), (remainingMs + 999) / 1000));
    sqs.sendMessage(
        m -> m.queueUrl(delayQueueUrl).messageBody(request.toJson()).delaySeconds(delaySeconds));
  }
}
