package dev.xerosync.writeback;

import dev.xerosync.common.Log;
import java.time.Duration;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * When SQS brings back a write message the worker could not finish: after the wait the executor
 * asked for (a Retry-After, a short backoff), not after the queue's visibility timeout, which must
 * stay at six times the function's timeout and would hold the entity's lane for six minutes.
 */
interface Redelivery {
  /** The longest wait set on a message; the queue's own timeout covers anything longer. */
  Duration MAX = Duration.ofMinutes(15);

  Redelivery NONE = (receiptHandle, delay) -> {};

  void after(String receiptHandle, Duration delay);

  static Redelivery of(SqsClient sqs, String queueUrl) {
    Log log = Log.of(Redelivery.class);
    return (receiptHandle, delay) -> {
      long seconds = Math.max(0, Math.min(MAX.toSeconds(), ceilSeconds(delay)));
      try {
        sqs.changeMessageVisibility(
            r ->
                r.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout((int) seconds));
      } catch (RuntimeException e) {
        // The message still comes back, after the queue's visibility timeout.
        log.warn("write message's redelivery not set", "error", e.getClass().getSimpleName());
      }
    };
  }

  private static long ceilSeconds(Duration d) {
    return d.isNegative() ? 0 : (d.toMillis() + 999) / 1000;
  }
}
