package dev.xerosync.syncengine;

import dev.xerosync.store.RateBudgets;
import dev.xerosync.xero.CallBudget.Deferral;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The arithmetic of {@link TenantRateBudget}, apart from its reads and conditional writes: from a
 * tenant's stored budget and the time, either how long to wait and why, or the budget to write back
 * with the new call in it.
 */
final class RateWindow {
  private RateWindow() {}

  sealed interface Decision {}

  /** Over a limit: wait this long. */
  record Defer(Deferral deferral) implements Decision {}

  /** Within every limit: store these calls (the new one last) and this day's count. */
  record Take(List<Long> calls, String day, long dayCount) implements Decision {}

  static Decision decide(
      RateBudgets.TenantBudget budget, Instant now, TenantRateBudget.Limits limits) {
    long nowMs = now.toEpochMilli();
    long blockedUntil = budget.blockedUntil() == null ? 0 : budget.blockedUntil();
    if (blockedUntil > nowMs) {
      String by = budget.blockedBy() != null ? budget.blockedBy() : "minute";
      return new Defer(new Deferral(by, Duration.ofMillis(blockedUntil - nowMs)));
    }
    long window = TenantRateBudget.WINDOW.toMillis();
    List<Long> calls = new ArrayList<>();
    for (long t : budget.calls()) {
      if (t > nowMs - window) {
        calls.add(t);
      }
    }
    if (calls.size() >= limits.perMinute()) {
      long oldest = calls.get(calls.size() - limits.perMinute());
      return new Defer(new Deferral("minute", Duration.ofMillis(oldest + window - nowMs)));
    }
    String today = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
    long dayCount = today.equals(budget.day()) ? budget.dayCount() : 0;
    if (dayCount >= limits.perDay()) {
      return new Defer(new Deferral("day", Duration.between(now, nextUtcMidnight(now))));
    }
    calls.add(nowMs);
    return new Take(calls, today, dayCount + 1);
  }

  /** Calls the tenant could still take now in its rolling minute: none while blocked. */
  static int room(RateBudgets.TenantBudget budget, Instant now, TenantRateBudget.Limits limits) {
    long nowMs = now.toEpochMilli();
    if (budget.blockedUntil() != null && budget.blockedUntil() > nowMs) {
      return 0;
    }
    long window = TenantRateBudget.WINDOW.toMillis();
    int inWindow = 0;
    for (long t : budget.calls()) {
      if (t > nowMs - window) {
        inWindow++;
      }
    }
    return Math.max(0, limits.perMinute() - inWindow);
  }

  /** When Xero's daily allowance starts again. */
  static Instant nextUtcMidnight(Instant now) {
    return LocalDate.ofInstant(now, ZoneOffset.UTC)
        .plusDays(1)
        .atStartOfDay()
        .toInstant(ZoneOffset.UTC);
  }
}
