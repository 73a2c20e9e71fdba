package dev.xerosync.tokens;

import java.time.Duration;
import java.time.Instant;

/**
 * When {@link AccessTokens} refreshes, apart from the lease and the calls: each rule looks at the
 * stored tokens and the time only.
 */
final class RefreshRules {
  /** An access token this close to expiry is refreshed first, so no call carries a dying token. */
  static final Duration EXPIRY_MARGIN = Duration.ofSeconds(60);

  /** Xero drops a refresh token unused for this long. */
  static final Duration REFRESH_TOKEN_IDLE_LIMIT = Duration.ofDays(60);

  private RefreshRules() {}

  /** The stored access token will not last the margin: refresh before using it. */
  static boolean accessTokenDue(ConnectionTokens stored, Instant now) {
    return !stored.accessTokenValidFor(EXPIRY_MARGIN, now);
  }

  /**
   * Xero refused {@code rejected}: refresh if the store still holds it (nobody refreshed since) or
   * holds one that is due anyway; a newer, valid token in the store is the answer as it is.
   */
  static boolean rejectedTokenDue(ConnectionTokens stored, String rejected, Instant now) {
    return stored.accessToken().equals(rejected) || accessTokenDue(stored, now);
  }

  /** A keep-alive refresh is due for tokens last refreshed before {@code before}. */
  static boolean refreshedBefore(ConnectionTokens stored, Instant before) {
    return stored.refreshedAt().isBefore(before);
  }

  /** Why Xero refused the refresh token, told apart by how long it sat unused. */
  static String invalidGrantReason(ConnectionTokens stored, Instant now) {
    Duration idle = Duration.between(stored.refreshedAt(), now);
    return idle.compareTo(REFRESH_TOKEN_IDLE_LIMIT) >= 0
        ? "Xero refused the refresh token: it went unused for "
            + idle.toDays()
            + " days (Xero's limit is 60)"
        : "Xero refused the refresh token: access was revoked or the app was disconnected in Xero";
  }
}
