package dev.xerosync.infra.xero;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Xero's limits: 60/min and the daily allowance per tenant (rolling), 10,000/min per app, 5
 * concurrent.
 */
class XeroSimulatorRateLimitIntegrationTest {
  SimClock clock = SimClock.frozen(Instant.parse("2026-03-01T10:00:00Z"));
  XeroSimulator sim;
  SimHttp http;
  SimOrganisation org;
  String token;

  @BeforeEach
  void start() {
    sim = XeroSimulator.builder().clock(clock).app("app", "secret").dailyCallLimit(1000).start();
    http = new SimHttp(sim.baseUrl());
    org = sim.createOrganisation("Org One");
    token = sim.grant("app", org.tenantId()).accessToken();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  SimHttp.Resp call() {
    return http.get("/api.xro/2.0/Organisation", token, org.tenantId());
  }

  @Test
  void everyResponseCarriesRemainingCounts() {
    SimHttp.Resp r = call();
    assertThat(r.header("X-MinLimit-Remaining")).isEqualTo("59");
    assertThat(r.header("X-DayLimit-Remaining")).isEqualTo("999");
    assertThat(r.header("X-AppMinLimit-Remaining")).isEqualTo("9999");
    assertThat(call().header("X-MinLimit-Remaining")).isEqualTo("58");
  }

  @Test
  void sixtyFirstCallInAMinuteIs429MinuteUntilTheWindowRolls() {
    for (int i = 0; i < 60; i++) {
      assertThat(call().status()).isEqualTo(200);
      clock.advance(Duration.ofMillis(500));
    }
    SimHttp.Resp r = call();
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.header("X-Rate-Limit-Problem")).isEqualTo("minute");
    // First call was at t=0; now is t=30 s: the window frees its first slot at t=60 s.
    assertThat(r.header("Retry-After")).isEqualTo("30");
    assertThat(r.header("X-MinLimit-Remaining")).isEqualTo("0");
    clock.advance(Duration.ofSeconds(30));
    assertThat(call().status()).isEqualTo(200);
    assertThat(call().status()).as("only one slot freed").isEqualTo(429);
  }

  @Test
  void recordsPeaksAnd429sForBenchmarks() {
    for (int i = 0; i < 30; i++) {
      call();
      clock.advance(Duration.ofSeconds(1));
    }
    for (int i = 0; i < 31; i++) {
      call();
    }
    assertThat(sim.tooManyRequests("app")).isEqualTo(1);
    assertThat(sim.peaks("app", org.tenantId()))
        .isEqualTo(new dev.xerosync.infra.xero.ratelimit.RateLimiter.Peaks(1, 61));
    clock.advance(Duration.ofSeconds(31));
    call();
    assertThat(sim.peaks("app", org.tenantId()).perMinute())
        .as("the first 30 calls rolled out")
        .isEqualTo(61);
    assertThat(sim.tooManyRequests("other")).isZero();
  }

  @Test
  void dailyLimitIsPerTenantAndConfigurable() {
    SimOrganisation other = sim.createOrganisation("Org Two");
    String otherToken = sim.grant("app", other.tenantId()).accessToken();
    for (int i = 0; i < 1000; i++) {
      if (i % 60 == 0) {
        clock.advance(Duration.ofMinutes(1));
      }
      assertThat(call().status()).isEqualTo(200);
    }
    clock.advance(Duration.ofMinutes(1));
    SimHttp.Resp r = call();
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.header("X-Rate-Limit-Problem")).isEqualTo("day");
    assertThat(Long.parseLong(r.header("Retry-After"))).isGreaterThan(20 * 3600);
    assertThat(http.get("/api.xro/2.0/Organisation", otherToken, other.tenantId()).status())
        .isEqualTo(200);
    clock.advance(Duration.ofHours(24));
    token = sim.grant("app", org.tenantId()).accessToken();
    assertThat(call().status()).isEqualTo(200);
    assertThat(sim.callCount(org.tenantId())).isEqualTo(1002);
  }

  @Test
  void appWideLimitAcrossTenants() {
    List<String[]> tenants = new ArrayList<>();
    for (int t = 0; t < 170; t++) {
      SimOrganisation o = sim.createOrganisation("Org " + t);
      tenants.add(new String[] {o.tenantId(), sim.grant("app", o.tenantId()).accessToken()});
    }
    int calls = 0;
    outer:
    for (String[] t : tenants) {
      for (int i = 0; i < 60; i++) {
        SimHttp.Resp r = http.get("/api.xro/2.0/Organisation", t[1], t[0]);
        if (r.status() == 429) {
          assertThat(r.header("X-Rate-Limit-Problem")).isEqualTo("appminute");
          assertThat(r.header("X-AppMinLimit-Remaining")).isEqualTo("0");
          break outer;
        }
        calls++;
      }
    }
    assertThat(calls).isEqualTo(10_000);
  }

  @Test
  void sixthConcurrentCallIs429Concurrent() throws Exception {
    sim.faults().slowResponses(1.0, Duration.ofMillis(2000));
    CountDownLatch go = new CountDownLatch(1);
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<SimHttp.Resp>> inFlight = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        inFlight.add(
            pool.submit(
                () -> {
                  go.await();
                  return call();
                }));
      }
      go.countDown();
      Thread.sleep(800);
      SimHttp.Resp sixth = call();
      assertThat(sixth.status()).isEqualTo(429);
      assertThat(sixth.header("X-Rate-Limit-Problem")).isEqualTo("concurrent");
      assertThat(sixth.header("Retry-After")).isNotNull();
      for (Future<SimHttp.Resp> f : inFlight) {
        assertThat(f.get().status()).isEqualTo(200);
      }
    }
    assertThat(sim.peaks("app", org.tenantId()).inFlight()).isEqualTo(5);
    sim.faults().clear();
    assertThat(call().status()).isEqualTo(200);
  }
}
