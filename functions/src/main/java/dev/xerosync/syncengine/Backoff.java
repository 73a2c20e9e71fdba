package dev.xerosync.syncengine;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with equal jitter (a random wait in [cap/2, cap]): retrying workers spread
 * out instead of colliding, and none retries at once, as full jitter ([0, cap]) would allow.
 */
final class Backoff {
  private static final Duration BASE = Duration.ofMillis(200);

  /** The cap doubles per attempt from 400 ms and stops growing at attempt 6 (12.8 s). */
  private static final int MAX_DOUBLINGS = 6;

  private Backoff() {}

  /** The longest wait before retrying after failed attempt {@code attempt} (1-based). */
  static long capMillis(int attempt) {
    return BASE.toMillis() << Math.min(attempt, MAX_DOUBLINGS);
  }

  static Duration delay(int attempt, RandomGenerator random) {
    long cap = capMillis(attempt);
    return Duration.ofMillis(random.nextLong(cap / 2, cap + 1));
  }
}
