package dev.xerosync.queue;

import dev.xerosync.common.Log;
import java.time.Duration;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * When SQS brings back a message a worker could not finish: after the wait it asks for (a
 * Retry-After, a short backoff), not after the queue's visibility timeout, which must stay at six
 * times the function's timeout and would hold the message's FIFO group for six minutes.
 */
public interface Redelivery {
  /** The longest wait set on a message; the queue's own timeout covers anything longer. */
  Duration MAX = Duration.ofMinutes(15);

  Redelivery NONE = (receiptHandle, delay) -> {};

  void after(String receiptHandle, Duration delay);

  static Redelivery of(SqsClient sqs, String queueUrl) {
    return of(sqs, queueUrl, MAX);
  }

  /** Waits up to {@code max}; SQS itself allows 12 hours. */
  static Redelivery of(SqsClient sqs, String queueUrl, Duration max) {
    Log log = Log.of(Redelivery.class);
    return (receiptHandle, delay) -> {
      long seconds = Math.max(0, Math.min(max.toSeconds(), ceilSeconds(delay)));
      try {
        sqs.changeMessageVisibility(
            r ->
                r.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout((int) seconds));
      } catch (RuntimeException e) {
        // The message still comes back, after the queue's visibility timeout.
        log.warn("message's redelivery not set", "error", e.getClass().getSimpleName());
      }
    };
  }

  /**
   * The wait before the next delivery of a message that failed {@code receiveCount} times: 5 s,
   * then three times longer each time, so a message that keeps failing holds its group for minutes
   * in all (5 + 15 + 45 + 135 s before a dead-letter queue at five receives), not half an hour.
   */
  public static Duration backoff(int receiveCount) {
    int n = Math.max(1, Math.min(receiveCount, 8));
    return Duration.ofSeconds(Math.min(MAX.toSeconds(), 5L * (long) Math.pow(3, n - 1)));
  }

  /** How often SQS has delivered this message, counting this delivery (1 when not told). */
  static int receiveCount(com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage m) {
    String v = m.getAttributes() == null ? null : m.getAttributes().get("ApproximateReceiveCount");
    try {
      return v == null ? 1 : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static long ceilSeconds(Duration d) {
    return d.isNegative() ? 0 : (d.toMillis() + 999) / 1000;
  }
}
