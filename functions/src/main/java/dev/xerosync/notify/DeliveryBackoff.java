package dev.xerosync.notify;

import java.time.Duration;
import java.util.List;

/**
 * How long a delivery that failed waits before its next try: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h,
 * 2 h, 4 h, 8 h, then the rest of 24 h. The event queue's maxReceiveCount is {@link #attempts()},
 * so after the last wait SQS moves the message to the dead-letter queue, whose alarm fires: a
 * consumer is tried for 24 hours and nothing is dropped silently. Every wait is under SQS's 12-hour
 * visibility limit.
 */
public final class DeliveryBackoff {
  public static final DeliveryBackoff STANDARD =
      new DeliveryBackoff(
          List.of(
              Duration.ofSeconds(5),
              Duration.ofSeconds(30),
              Duration.ofMinutes(2),
              Duration.ofMinutes(10),
              Duration.ofMinutes(30),
              Duration.ofHours(1),
              Duration.ofHours(2),
              Duration.ofHours(4),
              Duration.ofHours(8),
              Duration.ofSeconds(29_845)));

  private final List<Duration> waits;

  public DeliveryBackoff(List<Duration> waits) {
    if (waits.isEmpty()) {
      throw new IllegalArgumentException("a backoff needs at least one wait");
    }
    this.waits = List.copyOf(waits);
  }

  /** The same schedule, each wait divided by {@code factor}: local tests and benchmarks. */
  public DeliveryBackoff compressed(long factor) {
    return new DeliveryBackoff(waits.stream().map(w -> w.dividedBy(factor)).toList());
  }

  /** The wait after the {@code receiveCount}-th delivery failed (1 = the first try). */
  public Duration after(int receiveCount) {
    return waits.get(Math.max(0, Math.min(receiveCount, waits.size()) - 1));
  }

  /** Tries before the dead-letter queue: the queue's maxReceiveCount. */
  public int attempts() {
    return waits.size();
  }

  /** From the first try to the dead-letter queue. */
  public Duration total() {
    return waits.stream().reduce(Duration.ZERO, Duration::plus);
  }
}
