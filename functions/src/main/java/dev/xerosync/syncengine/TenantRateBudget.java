package dev.xerosync.syncengine;

import dev.xerosync.common.Metrics;
import dev.xerosync.store.RateBudgets;
import dev.xerosync.xero.CallBudget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Xero's limits, shared through DynamoDB by every worker: per tenant 60 calls in any rolling minute
 * and a daily allowance, app-wide 10,000 in any rolling minute. The tenant's item keeps the times
 * of its recent calls, so the rolling window is enforced exactly (a fixed per-minute counter would
 * let 120 calls through across a minute boundary, and Xero's window rolls); the app-wide count
 * rolls too, in 5 s slices. A 429 blocks the tenant until Xero's Retry-After. Concurrency per
 * tenant needs no counter here: the FIFO queue runs one batch per tenant at a time.
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
    /**
     * Xero's limits for this app and its tier, from the environment (Xero's defaults otherwise).
     */
    public static Limits fromEnvironment(dev.xerosync.common.Environment env) {
      return new Limits(
          env.getInt("XERO_MINUTE_CALL_LIMIT", 60),
          env.getInt("XERO_DAILY_CALL_LIMIT", 5000),
          env.getInt("XERO_APP_MINUTE_CALL_LIMIT", 10_000));
    }
  }

  /** How long the app's remaining count from Xero's last answer is taken as current. */
  static final Duration APP_ROOM_FRESH = Duration.ofSeconds(5);

  private final RateBudgets budgets;
  private final Clock clock;
  private final Limits limits;
  private volatile AppRoom appRoom = new AppRoom(Integer.MAX_VALUE, Instant.MIN);

  private record AppRoom(int remaining, Instant seenAt) {}

  public TenantRateBudget(RateBudgets budgets, Clock clock, Limits limits) {
    this.budgets = budgets;
    this.clock = clock;
    this.limits = limits;
  }

  @Override
  public Optional<Deferral> acquire(String tenantId) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Instant now = clock.instant();
      RateBudgets.TenantBudget budget = budgets.read(tenantId);
      RateWindow.Decision decision = RateWindow.decide(budget, now, limits);
      if (decision instanceof RateWindow.Defer defer) {
        return Optional.of(defer.deferral());
      }
      RateWindow.Take take = (RateWindow.Take) decision;
      if (!budgets.write(tenantId, budget, take.calls(), take.day(), take.dayCount(), now)) {
        // Another worker took a call in between: recount after a jittered pause, so racers spread
        // out.
        pause(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 4 + attempt));
        continue;
      }
      Metrics.percent(
          Metrics.XERO_DAILY_BUDGET_USED_PERCENT, 100.0 * take.dayCount() / limits.perDay());
      return takeAppCall(now);
    }
    return Optional.of(new Deferral("minute", Duration.ofSeconds(1)));
  }

  @Override
  public int room(String tenantId) {
    Instant now = clock.instant();
    int tenant = RateWindow.room(budgets.read(tenantId), now, limits);
    AppRoom app = appRoom;
    boolean fresh = app.seenAt().plus(APP_ROOM_FRESH).isAfter(now);
    return fresh ? Math.min(tenant, app.remaining()) : tenant;
  }

  @Override
  public void record(String tenantId, RateHeaders headers) {
    if (headers.appMinRemaining() != null) {
      appRoom = new AppRoom(headers.appMinRemaining(), clock.instant());
    }
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
      block(tenantId, "day", RateWindow.nextUtcMidnight(now));
    }
  }

  private Optional<Deferral> takeAppCall(Instant now) {
    return budgets
        .takeAppCall(now, limits.appPerMinute(), WINDOW)
        .map(
            frees ->
                new Deferral(
                    "appminute",
                    Duration.ofMillis(Math.max(1000, Duration.between(now, frees).toMillis()))));
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
