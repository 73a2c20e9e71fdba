package dev.xerosync.xero;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Every call to Xero's API asks the budget first and reports back after, so Xero's limits hold
 * across every concurrent worker, not just within one.
 */
public interface CallBudget {
  /** Takes a call from the tenant's budget, or says how long to wait before one is free. */
  Optional<Deferral> acquire(String tenantId);

  /** What Xero said about the limits after a call: its remaining counts, or a 429. */
  void record(String tenantId, RateHeaders headers);

  /**
   * Calls the tenant could make now within its rolling minute (and the app's, where known); a
   * budget that keeps no count has unlimited room.
   */
  default int room(String tenantId) {
    return Integer.MAX_VALUE;
  }

  /** Why and until when a tenant's calls must wait. */
  record Deferral(String limit, Duration delay) {
    public boolean isDaily() {
      return "day".equals(limit);
    }
  }

  /**
   * Xero's X-*-Remaining headers, and on a 429 the problem and Retry-After. Absent values are null.
   */
  record RateHeaders(
      int status,
      @Nullable Integer minRemaining,
      @Nullable Integer dayRemaining,
      @Nullable Integer appMinRemaining,
      @Nullable String rateLimitProblem,
      @Nullable Duration retryAfter) {}

  CallBudget UNLIMITED =
      new CallBudget() {
        @Override
        public Optional<Deferral> acquire(String tenantId) {
          return Optional.empty();
        }

        @Override
        public void record(String tenantId, RateHeaders headers) {}
      };
}
