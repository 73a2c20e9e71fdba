package dev.xerosync.syncengine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.store.RateBudgets.TenantBudget;
import dev.xerosync.xero.CallBudget.Deferral;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateWindowTest {
  private static final TenantRateBudget.Limits LIMITS =
      new TenantRateBudget.Limits(60, 5000, 10_000);
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:30Z");
  private static final long NOW_MS = NOW.toEpochMilli();

  private static TenantBudget budget(List<Long> calls, String day, long dayCount) {
    return new TenantBudget(true, 1L, calls, day, dayCount, null, null);
  }

  private static List<Long> callsEvery(long stepMs, int count, long lastMs) {
    List<Long> calls = new ArrayList<>();
    for (int i = count - 1; i >= 0; i--) {
      calls.add(lastMs - i * stepMs);
    }
    return calls;
  }

  @Test
  void theRoomIsWhatTheRollingMinuteHasLeftAndNoneWhileBlocked() {
    long window = TenantRateBudget.WINDOW.toMillis();
    List<Long> calls = new ArrayList<>(callsEvery(1000, 5, NOW_MS));
    calls.add(0, NOW_MS - window - 1);
    assertThat(RateWindow.room(budget(calls, "2026-03-10", 6), NOW, LIMITS)).isEqualTo(55);
    TenantBudget blocked =
        new TenantBudget(true, 1L, List.of(), "2026-03-10", 6, NOW_MS + 1000, "minute");
    assertThat(RateWindow.room(blocked, NOW, LIMITS)).isZero();
  }

  @Test
  void anEmptyBudgetTakesTheFirstCallOfTheDay() {
    var decision = RateWindow.decide(budget(List.of(), null, 0), NOW, LIMITS);
    assertThat(decision).isEqualTo(new RateWindow.Take(List.of(NOW_MS), "2026-03-10", 1));
  }

  @Test
  void callsOlderThanTheWindowAreDroppedAndTheNewOneComesLast() {
    long expired = NOW_MS - TenantRateBudget.WINDOW.toMillis();
    long recent = NOW_MS - 1_000;
    var decision =
        RateWindow.decide(budget(List.of(expired, recent), "2026-03-10", 7), NOW, LIMITS);
    assertThat(decision).isEqualTo(new RateWindow.Take(List.of(recent, NOW_MS), "2026-03-10", 8));
  }

  @Test
  void the61stCallInTheRollingWindowWaitsUntilTheOldestOfTheLast60LeavesIt() {
    // 60 calls one second apart, the last one just now: the oldest (59 s ago) leaves the 62 s
    // window in 3 s.
    List<Long> calls = callsEvery(1_000, 60, NOW_MS);
    var decision = RateWindow.decide(budget(calls, "2026-03-10", 60), NOW, LIMITS);
    assertThat(decision)
        .isEqualTo(new RateWindow.Defer(new Deferral("minute", Duration.ofSeconds(3))));
  }

  @Test
  void fiftyNineCallsInTheWindowLeaveRoomForOneMore() {
    List<Long> calls = callsEvery(1_000, 59, NOW_MS);
    assertThat(RateWindow.decide(budget(calls, "2026-03-10", 59), NOW, LIMITS))
        .isInstanceOf(RateWindow.Take.class);
  }

  @Test
  void aSpentDayWaitsForMidnightUtc() {
    var decision = RateWindow.decide(budget(List.of(), "2026-03-10", 5000), NOW, LIMITS);
    assertThat(decision)
        .isEqualTo(
            new RateWindow.Defer(
                new Deferral("day", Duration.ofHours(11).plusMinutes(59).plusSeconds(30))));
  }

  @Test
  void yesterdaysCountDoesNotCountToday() {
    var decision = RateWindow.decide(budget(List.of(), "2026-03-09", 5000), NOW, LIMITS);
    assertThat(decision).isEqualTo(new RateWindow.Take(List.of(NOW_MS), "2026-03-10", 1));
  }

  @Test
  void aBlockFromXerosRetryAfterWinsOverAnyCountAndKeepsItsReason() {
    var blocked =
        new TenantBudget(true, 1L, List.of(), "2026-03-10", 1, NOW_MS + 42_000, "appminute");
    assertThat(RateWindow.decide(blocked, NOW, LIMITS))
        .isEqualTo(new RateWindow.Defer(new Deferral("appminute", Duration.ofSeconds(42))));
    var lapsed = new TenantBudget(true, 1L, List.of(), "2026-03-10", 1, NOW_MS, "minute");
    assertThat(RateWindow.decide(lapsed, NOW, LIMITS)).isInstanceOf(RateWindow.Take.class);
  }

  @Test
  void theDayRollsAtMidnightUtc() {
    assertThat(RateWindow.nextUtcMidnight(Instant.parse("2026-03-10T23:59:59Z")))
        .isEqualTo(Instant.parse("2026-03-11T00:00:00Z"));
  }
}
