package dev.xerosync.syncengine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.infra.aws.LocalAws;
import dev.xerosync.infra.xero.SimClock;
import dev.xerosync.store.RateBudgets;
import dev.xerosync.testsupport.SharedLocalAws;
import dev.xerosync.xero.CallBudget;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared rate budget against the DynamoDB stand-in, with time under the test's control. */
class TenantRateBudgetIntegrationTest {
  private static LocalAws aws;

  @BeforeAll
  static void start() throws Exception {
    aws = SharedLocalAws.get();
  }

  private TenantRateBudget budget(SimClock clock, int perMinute, int perDay) {
    return new TenantRateBudget(
        new RateBudgets(aws.dynamoDb(), aws.resources().tableName("Table")),
        clock,
        new TenantRateBudget.Limits(perMinute, perDay, 10_000));
  }

  @Test
  void sixtyCallsInARollingMinuteThenWaitUntilTheOldestLeavesTheWindow() {
    SimClock clock = SimClock.frozen(Instant.parse("2026-11-21T10:00:00Z"));
    TenantRateBudget budget = budget(clock, 60, 5000);
    String tenant = UUID.randomUUID().toString();
    for (int i = 0; i < 60; i++) {
      assertThat(budget.acquire(tenant)).as("call " + (i + 1)).isEmpty();
      clock.advance(Duration.ofMillis(500));
    }
    Optional<CallBudget.Deferral> refused = budget.acquire(tenant);
    assertThat(refused).isPresent();
    assertThat(refused.get().limit()).isEqualTo("minute");
    // The first call was at 10:00:00; 30 s have passed; the window (62 s with margin) frees it at
    // 10:01:02.
    assertThat(refused.get().delay()).isEqualTo(Duration.ofSeconds(32));

    clock.advance(Duration.ofSeconds(32));
    assertThat(budget.acquire(tenant)).isEmpty();
    assertThat(budget.acquire(tenant)).as("only one call left the window").isPresent();
  }

  @Test
  void aMinuteBoundaryDoesNotOpenASecondAllowance() {
    SimClock clock = SimClock.frozen(Instant.parse("2026-11-21T10:00:59Z"));
    TenantRateBudget budget = budget(clock, 60, 5000);
    String tenant = UUID.randomUUID().toString();
    for (int i = 0; i < 60; i++) {
      assertThat(budget.acquire(tenant)).isEmpty();
    }
    clock.advance(Duration.ofSeconds(2));
    assertThat(budget.acquire(tenant))
        .as("a fixed-minute counter would allow this; Xero's rolling window does not")
        .isPresent();
  }

  @Test
  void theAppWideLimitRollsAcrossTenantsAndAMinuteBoundary() {
    // A time of its own: the app-wide count is one item for every tenant in the table.
    SimClock clock = SimClock.frozen(Instant.parse("2031-05-17T08:00:59Z"));
    TenantRateBudget budget =
        new TenantRateBudget(
            new RateBudgets(aws.dynamoDb(), aws.resources().tableName("Table")),
            clock,
            new TenantRateBudget.Limits(60, 5000, 10));
    for (int i = 0; i < 10; i++) {
      assertThat(budget.acquire(UUID.randomUUID().toString())).as("call " + (i + 1)).isEmpty();
    }
    assertThat(budget.acquire(UUID.randomUUID().toString())).isPresent();

    clock.advance(Duration.ofSeconds(2));
    Optional<CallBudget.Deferral> refused = budget.acquire(UUID.randomUUID().toString());
    assertThat(refused)
        .as("a per-minute counter starts afresh at 08:01:00; Xero's app window does not")
        .isPresent();
    assertThat(refused.get().limit()).isEqualTo("appminute");
    // The calls count in the slice 08:00:55-08:01:00, which leaves the 62 s window at 08:02:02.
    assertThat(refused.get().delay()).isEqualTo(Duration.ofSeconds(61));

    clock.advance(Duration.ofSeconds(60));
    assertThat(budget.acquire(UUID.randomUUID().toString())).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(budget.acquire(UUID.randomUUID().toString())).isEmpty();
  }

  @Test
  void theDailyAllowanceHoldsUntilMidnightUtc() {
    SimClock clock = SimClock.frozen(Instant.parse("2026-11-21T23:00:00Z"));
    TenantRateBudget budget = budget(clock, 60, 3);
    String tenant = UUID.randomUUID().toString();
    for (int i = 0; i < 3; i++) {
      assertThat(budget.acquire(tenant)).isEmpty();
    }
    Optional<CallBudget.Deferral> refused = budget.acquire(tenant);
    assertThat(refused)
        .hasValueSatisfying(
            d -> {
              assertThat(d.isDaily()).isTrue();
              assertThat(d.delay()).isEqualTo(Duration.ofHours(1));
            });
    clock.advance(Duration.ofHours(1));
    assertThat(budget.acquire(tenant)).isEmpty();
  }

  @Test
  void aRateLimitedAnswerBlocksTheTenantForRetryAfter() {
    SimClock clock = SimClock.frozen(Instant.parse("2026-11-21T10:00:00Z"));
    TenantRateBudget budget = budget(clock, 60, 5000);
    String tenant = UUID.randomUUID().toString();
    budget.record(
        tenant,
        new CallBudget.RateHeaders(429, null, null, null, "Minute", Duration.ofSeconds(20)));

    assertThat(budget.acquire(tenant))
        .hasValueSatisfying(
            d -> {
              assertThat(d.limit()).isEqualTo("minute");
              assertThat(d.delay()).isEqualTo(Duration.ofSeconds(20));
            });
    clock.advance(Duration.ofSeconds(20));
    assertThat(budget.acquire(tenant)).isEmpty();
  }

  @Test
  void concurrentWorkersTogetherNeverTakeMoreThanTheLimit() throws Exception {
    SimClock clock = SimClock.frozen(Instant.parse("2026-11-21T10:00:00Z"));
    TenantRateBudget budget = budget(clock, 60, 5000);
    String tenant = UUID.randomUUID().toString();
    AtomicInteger granted = new AtomicInteger();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 100; i++) {
        pool.submit(
            () -> {
              if (budget.acquire(tenant).isEmpty()) {
                granted.incrementAndGet();
              }
            });
      }
    }
    assertThat(granted.get()).isEqualTo(60);
    assertThat(budget.acquire(tenant))
        .as("the window holds exactly the 60 granted calls")
        .isPresent();
  }
}
