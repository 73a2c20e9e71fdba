package dev.xerosync.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefreshRulesTest {
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  private static ConnectionTokens expiringIn(Duration d) {
    return new ConnectionTokens("access-1", "refresh-1", NOW.plus(d), NOW.minusSeconds(1_740));
  }

  @Test
  void anAccessTokenIsRefreshedWhenItWouldNotOutlastTheMinuteOfMargin() {
    assertThat(RefreshRules.accessTokenDue(expiringIn(Duration.ofMinutes(29)), NOW)).isFalse();
    assertThat(RefreshRules.accessTokenDue(expiringIn(Duration.ofSeconds(61)), NOW)).isFalse();
    assertThat(RefreshRules.accessTokenDue(expiringIn(Duration.ofSeconds(60)), NOW)).isTrue();
    assertThat(RefreshRules.accessTokenDue(expiringIn(Duration.ofSeconds(-5)), NOW)).isTrue();
    assertThat(
            RefreshRules.accessTokenDue(
                new ConnectionTokens("a", "r", null, NOW.minusSeconds(10)), NOW))
        .isTrue();
  }

  @Test
  void aRejectedTokenIsRefreshedOnlyIfTheStoreHasNotMovedOnFromIt() {
    ConnectionTokens stored = expiringIn(Duration.ofMinutes(29));
    assertThat(RefreshRules.rejectedTokenDue(stored, "access-1", NOW)).isTrue();
    // Another caller refreshed since our read: its token is the answer, no second refresh.
    assertThat(RefreshRules.rejectedTokenDue(stored, "access-0", NOW)).isFalse();
    assertThat(RefreshRules.rejectedTokenDue(expiringIn(Duration.ofSeconds(30)), "access-0", NOW))
        .isTrue();
  }

  @Test
  void aKeepAliveRefreshIsDueForTokensLastRefreshedBeforeTheLine() {
    ConnectionTokens stored = expiringIn(Duration.ofMinutes(29));
    assertThat(RefreshRules.refreshedBefore(stored, NOW)).isTrue();
    assertThat(RefreshRules.refreshedBefore(stored, NOW.minus(Duration.ofDays(1)))).isFalse();
  }

  @Test
  void invalidGrantIsExplainedByIdleTimeAt60DaysAndAsRevocationBefore() {
    ConnectionTokens idle =
        new ConnectionTokens(
            "a", "r", NOW.minus(Duration.ofDays(61)), NOW.minus(Duration.ofDays(61)));
    assertThat(RefreshRules.invalidGrantReason(idle, NOW))
        .isEqualTo(
            "Xero refused the refresh token: it went unused for 61 days (Xero's limit is 60)");
    ConnectionTokens recent = expiringIn(Duration.ofMinutes(1));
    assertThat(RefreshRules.invalidGrantReason(recent, NOW)).contains("revoked");
  }
}
