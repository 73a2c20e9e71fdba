package dev.xerosync.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTest {
  private static final Clock MOVED =
      Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void lambdaAndAPlainEnvironmentReadTheSystemClock() {
    assertThat(Environment.process().clock()).isEqualTo(Clock.systemUTC());
    assertThat(Environment.of(Map.of("A", "1")).clock()).isEqualTo(Clock.systemUTC());
  }

  @Test
  void theHostsClockStaysWithTheValuesOverriddenOnTop() {
    Environment env = Environment.of(Map.of("A", "1")).withClock(MOVED).with(Map.of("B", "2"));
    assertThat(env.clock().instant()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(env.required("A")).isEqualTo("1");
    assertThat(env.required("B")).isEqualTo("2");
    assertThat(env.withClock(MOVED).isProcess()).isFalse();
  }
}
