package dev.xerosync.syncengine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void theCapDoublesFrom400MillisecondsAndStopsAt12Point8Seconds() {
    assertThat(Backoff.capMillis(1)).isEqualTo(400);
    assertThat(Backoff.capMillis(2)).isEqualTo(800);
    assertThat(Backoff.capMillis(3)).isEqualTo(1_600);
    assertThat(Backoff.capMillis(6)).isEqualTo(12_800);
    assertThat(Backoff.capMillis(7)).isEqualTo(12_800);
    assertThat(Backoff.capMillis(50)).isEqualTo(12_800);
  }

  @Test
  void equalJitterWaitsBetweenHalfTheCapAndTheCap() {
    RandomGenerator random = new Random(11);
    for (int attempt = 1; attempt <= 8; attempt++) {
      long cap = Backoff.capMillis(attempt);
      for (int i = 0; i < 200; i++) {
        assertThat(Backoff.delay(attempt, random).toMillis()).isBetween(cap / 2, cap);
      }
    }
  }

  @Test
  void theBoundsAreReachedSoTheWaitsSpreadOverTheWholeRange() {
    RandomGenerator lowest = lowOrHigh(true);
    RandomGenerator highest = lowOrHigh(false);
    assertThat(Backoff.delay(1, lowest).toMillis()).isEqualTo(200);
    assertThat(Backoff.delay(1, highest).toMillis()).isEqualTo(400);
  }

  /** A generator that always draws the lowest or the highest value of a range. */
  private static RandomGenerator lowOrHigh(boolean low) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public long nextLong(long origin, long bound) {
        return low ? origin : bound - 1;
      }
    };
  }
}
