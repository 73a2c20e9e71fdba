package dev.xerosync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
  }
}
