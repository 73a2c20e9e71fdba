package dev.xerosync.syncengine;

import dev.xerosync.common.Metrics;
import dev.xerosync.store.RateBudgets;
import dev.xerosync.xero.CallBudget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Xero's limits, shared through DynamoDB by every worker: per tenant 60 calls in any rolling minute
 * and a daily allowance, app-wide 10,000 a minute. The tenant's item keeps the times of its recent
 * calls, so the rolling window is enforced exactly (a fixed per-minute counter would let 120 calls
 * through across a minute boundary, and Xero's window rolls). A 429 blocks the tenant until Xero's
 * Retry-After. Concurrency per tenant needs no counter here: the FIFO queue runs one batch per
 * tenant at a time.
 */
public final class TenantRateBudget implements CallBudget {
  /**
   * A call is dated when it takes its slot, and Xero dates it on arrival; a stall between the two
   * (a busy host, a slow connect) must not let Xero see 61 in its window. Two seconds of margin
   * cost about 3% of the allowance; one second was seen to fall short under load.
   */
  static final Duration WINDOW = Duration.ofSeconds(62);

  private static final int MAX_ATTEMPTS = 50;

  public record Limits(int perMinute, int perDay, int appPerMinute) {
    public static Limits xeroStandard() {
      return new Limits(60, 5000, 10_000);
    }
  }

  private final RateBudgets budgets;
  private final Clock clock;
  private final Limits limits;

  public TenantRateBudget(RateBudgets budgets, Clock clock, Limits limits) {
    this.budgets = budgets;
    this.clock = clock;
    this.limits = limits;
  }

  @Override
  public Optional<Deferral> acquire(String tenantId) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Instant now = clock.instant();
      long nowMs = now.toEpochMilli();
      RateBudgets.TenantBudget budget = budgets.read(tenantId);
      long blockedUntil = budget.blockedUntil() == null ? 0 : budget.blockedUntil();
      if (blockedUntil > nowMs) {
        String by = budget.blockedBy() != null ? budget.blockedBy() : "minute";
        return Optional.of(new Deferral(by, Duration.ofMillis(blockedUntil - nowMs)));
      }
      List<Long> calls = new ArrayList<>();
      for (long t : budget.calls()) {
        if (t > nowMs - WINDOW.toMillis()) {
          calls.add(t);
        }
      }
      if (calls.size() >= limits.perMinute()) {
        long oldest = calls.get(calls.size() - limits.perMinute());
        return Optional.of(
            new Deferral("minute", Duration.ofMillis(oldest + WINDOW.toMillis() - nowMs)));
      }
      String today = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
      long dayCount = today.equals(budget.day()) ? budget.dayCount() : 0;
      if (dayCount >= limits.perDay()) {
        Instant midnight =
            LocalDate.ofInstant(now, ZoneOffset.UTC)
                .plusDays(1)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC);
        return Optional.of(new Deferral("day", Duration.between(now, midnight)));
      }
      calls.add(nowMs);
      if (!budgets.write(tenantId, budget, calls, today, dayCount + 1, now)) {
        // Another worker took a call in between: recount after a jittered pause, so racers spread
        // out.
        pause(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 4 + attempt));
        continue;
      }
      Metrics.percent(
          Metrics.XERO_DAILY_BUDGET_USED_PERCENT, 100.0 * (dayCount + 1) / limits.perDay());
      return takeAppCall(now);
    }
    return Optional.of(new Deferral("minute", Duration.ofSeconds(1)));
  }

  @Override
  public void record(String tenantId, RateHeaders headers) {
    if (headers.status() == 429) {
      Duration wait = headers.retryAfter() == null ? Duration.ofSeconds(60) : headers.retryAfter();
      String problem =
          headers.rateLimitProblem() == null
              ? "minute"
              : headers.rateLimitProblem().toLowerCase(java.util.Locale.ROOT);
      block(tenantId, problem, clock.instant().plus(wait));
      return;
    }
    if (headers.dayRemaining() != null && headers.dayRemaining() <= 0) {
      Instant now = clock.instant();
      block(
          tenantId,
          "day",
          LocalDate.ofInstant(now, ZoneOffset.UTC)
              .plusDays(1)
              .atStartOfDay()
              .toInstant(ZoneOffset.UTC));
    }
  }

  private Optional<Deferral> takeAppCall(Instant now) {
    return budgets.takeAppCall(now, limits.appPerMinute())
        ? Optional.empty()
        : Optional.of(
            new Deferral("appminute", Duration.ofSeconds(60 - now.getEpochSecond() % 60)));
  }

  private void block(String tenantId, String problem, Instant until) {
    budgets.block(tenantId, problem, until);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
