package dev.xerosync.infra.xero.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Xero's API limits: per app and tenant, 5 calls in flight, 60 in any rolling minute and the daily
 * allowance in any rolling 24 hours; per app, 10,000 in any rolling minute. Windows are read from
 * the simulator clock. Rejected calls do not use up allowance.
 */
public final class RateLimiter {
  public static final int CONCURRENT = 5;
  public static final int PER_MINUTE = 60;
  public static final int APP_PER_MINUTE = 10_000;

  /** Outcome of asking to start a call; remaining counts are after this call. */
  public record Admission(
      boolean admitted,
      String problem,
      long retryAfterSeconds,
      int minRemaining,
      int dayRemaining,
      int appMinRemaining) {}

  private static final class Window {
    final Deque<Instant> hits = new ArrayDeque<>();

    void trim(Instant now, Duration span) {
      while (!hits.isEmpty() && !hits.peekFirst().isAfter(now.minus(span))) {
        hits.removeFirst();
      }
    }

    long secondsUntilSlot(Instant now, Duration span) {
      Instant frees = hits.peekFirst().plus(span);
      return Math.max(1, (Duration.between(now, frees).toMillis() + 999) / 1000);
    }
  }

  private static final class TenantState {
    final Window minute = new Window();
    final Window day = new Window();
    int inFlight;
    // For benchmarks: what the app actually did, admitted or not.
    int peakInFlight;
    // The last minute's asks and the most seen in any minute: a list of every call's time grew
    // without bound in long runs.
    final java.util.ArrayDeque<Long> askedLastMinute = new java.util.ArrayDeque<>();
    int peakPerMinute;
  }

  /**
   * What one app did to one tenant: most calls in flight at once, most calls asked for in any
   * rolling minute.
   */
  public record Peaks(int inFlight, int perMinute) {}

  private final Clock clock;
  private final int appPerMinute;
  private volatile int dailyLimit;
  private final Map<String, TenantState> tenants = new ConcurrentHashMap<>();
  private final Map<String, Window> apps = new ConcurrentHashMap<>();

  public RateLimiter(Clock clock, int dailyLimit) {
    this(clock, dailyLimit, APP_PER_MINUTE);
  }

  /** With an app limit of its own: benchmarks make it bind without 10,000 calls a minute. */
  public RateLimiter(Clock clock, int dailyLimit, int appPerMinute) {
    this.clock = clock;
    this.dailyLimit = dailyLimit;
    this.appPerMinute = appPerMinute;
  }

  public void dailyLimit(int limit) {
    this.dailyLimit = limit;
  }

  public synchronized Admission acquire(String clientId, String tenantId) {
    Instant now = clock.instant();
    TenantState t = tenants.computeIfAbsent(clientId + "|" + tenantId, k -> new TenantState());
    Window app = apps.computeIfAbsent(clientId, k -> new Window());
    long askedAt = now.toEpochMilli();
    t.askedLastMinute.addLast(askedAt);
    while (askedAt - t.askedLastMinute.peekFirst() >= 60_000) {
      t.askedLastMinute.pollFirst();
    }
    t.peakPerMinute = Math.max(t.peakPerMinute, t.askedLastMinute.size());
    t.minute.trim(now, Duration.ofMinutes(1));
    t.day.trim(now, Duration.ofDays(1));
    app.trim(now, Duration.ofMinutes(1));
    int min = PER_MINUTE - t.minute.hits.size();
    int day = dailyLimit - t.day.hits.size();
    int appMin = appPerMinute - app.hits.size();
    if (day <= 0) {
      return new Admission(
          false, "day", t.day.secondsUntilSlot(now, Duration.ofDays(1)), min, 0, appMin);
    }
    if (appMin <= 0) {
      return new Admission(
          false, "appminute", app.secondsUntilSlot(now, Duration.ofMinutes(1)), min, day, 0);
    }
    if (min <= 0) {
      return new Admission(
          false, "minute", t.minute.secondsUntilSlot(now, Duration.ofMinutes(1)), 0, day, appMin);
    }
    if (t.inFlight >= CONCURRENT) {
      return new Admission(false, "concurrent", 1, min, day, appMin);
    }
    t.inFlight++;
    t.peakInFlight = Math.max(t.peakInFlight, t.inFlight);
    t.minute.hits.addLast(now);
    t.day.hits.addLast(now);
    app.hits.addLast(now);
    return new Admission(true, null, 0, min - 1, day - 1, appMin - 1);
  }

  /** Remaining allowance without taking any (for responses refused before admission). */
  public synchronized Admission peek(String clientId, String tenantId) {
    Instant now = clock.instant();
    TenantState t = tenants.computeIfAbsent(clientId + "|" + tenantId, k -> new TenantState());
    Window app = apps.computeIfAbsent(clientId, k -> new Window());
    t.minute.trim(now, Duration.ofMinutes(1));
    t.day.trim(now, Duration.ofDays(1));
    app.trim(now, Duration.ofMinutes(1));
    return new Admission(
        true,
        null,
        0,
        PER_MINUTE - t.minute.hits.size(),
        dailyLimit - t.day.hits.size(),
        appPerMinute - app.hits.size());
  }

  /**
   * Peaks since the simulator started; the minute window rolls like Xero's (a call drops out 60 s
   * later).
   */
  public synchronized Peaks peaks(String clientId, String tenantId) {
    TenantState t = tenants.get(clientId + "|" + tenantId);
    if (t == null) {
      return new Peaks(0, 0);
    }
    int perMinute = t.peakPerMinute;
    return new Peaks(t.peakInFlight, perMinute);
  }

  public synchronized void release(String clientId, String tenantId) {
    TenantState t = tenants.get(clientId + "|" + tenantId);
    if (t != null && t.inFlight > 0) {
      t.inFlight--;
    }
  }
}
