package dev.xerosync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepPacingTest {
  private final SweepPacing pacing = SweepPacing.DEFAULT;

  @Test
  void aFewTenantsAreSweptAtOnceInPractice() {
    assertEquals(Duration.ZERO, pacing.offset(0, 3));
    assertEquals(Duration.ofMillis(500), pacing.offset(1, 3));
    assertEquals(Duration.ofSeconds(1), pacing.offset(2, 3));
  }

  @Test
  void fiveThousandTenantsGoAtTwoASecond() {
    assertEquals(Duration.ofMillis(2_499_500), pacing.offset(4_999, 5_000));
  }

  @Test
  void moreTenantsThanThePaceFitsStillFitInTheHour() {
    Duration last = pacing.offset(49_999, 50_000);
    assertTrue(last.compareTo(Duration.ofMinutes(54)) <= 0, last.toString());
    assertTrue(last.compareTo(Duration.ofMinutes(53)) > 0, last.toString());
  }

  @Test
  void aPaceNeedsARateAndAPeriod() {
    assertThrows(IllegalArgumentException.class, () -> new SweepPacing(0, Duration.ofHours(1)));
    assertThrows(IllegalArgumentException.class, () -> new SweepPacing(2, Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SweepPacing(2, Duration.ofHours(1), Duration.ofMinutes(30)));
  }

  private static final Instant HOUR = Instant.parse("2026-11-30T10:00:00Z");

  @Test
  void aTenantNeverSweptOrWhoseLastSweepMissedSomethingIsSweptEveryHour() {
    for (int h = 0; h < 6; h++) {
      Instant fired = HOUR.plus(Duration.ofHours(h));
      assertTrue(pacing.due("t", fired, null, true));
      assertTrue(pacing.due("t", fired, fired.minus(Duration.ofMinutes(10)), false));
    }
  }

  @Test
  void aCleanTenantIsSweptOnceEveryThreeHoursOnItsTurn() {
    for (String tenant : List.of("a", "b", "c", "scale-00042")) {
      Instant swept = HOUR.minus(Duration.ofMinutes(10));
      List<Integer> hours = new java.util.ArrayList<>();
      for (int h = 0; h < 12; h++) {
        Instant fired = HOUR.plus(Duration.ofHours(h));
        if (pacing.due(tenant, fired, swept, true)) {
          hours.add(h);
          swept = fired.plus(Duration.ofMinutes(50));
        }
      }
      assertEquals(4, hours.size(), tenant + " " + hours);
      for (int i = 1; i < hours.size(); i++) {
        assertEquals(3, hours.get(i) - hours.get(i - 1), tenant + " " + hours);
      }
    }
  }

  @Test
  void cleanTenantsTakeTurnsSoEachHourSweepsAboutAThird() {
    for (int h = 0; h < 3; h++) {
      Instant fired = HOUR.plus(Duration.ofHours(h));
      int due = 0;
      for (int i = 0; i < 3_000; i++) {
        if (pacing.due(
            String.format("scale-%05d", i), fired, fired.minus(Duration.ofHours(1)), true)) {
          due++;
        }
      }
      assertTrue(due > 900 && due < 1_100, "hour " + h + ": " + due);
    }
  }

  @Test
  void aCleanTenantWhoseTurnWasMissedIsSweptAtOnce() {
    Instant fired = HOUR.plus(Duration.ofHours(1));
    Instant longAgo = fired.minus(Duration.ofHours(3)).minusSeconds(1);
    for (String tenant : List.of("a", "b", "c")) {
      assertTrue(pacing.due(tenant, fired, longAgo, true), tenant);
    }
  }

  @Test
  void withoutAQuietPeriodEveryTenantIsSweptEveryHour() {
    SweepPacing hourly = new SweepPacing(2, Duration.ofHours(1));
    for (int h = 0; h < 3; h++) {
      Instant fired = HOUR.plus(Duration.ofHours(h));
      assertTrue(hourly.due("a", fired, fired.minus(Duration.ofMinutes(10)), true));
    }
  }
}
