package dev.xerosync.tokens;

import java.time.Duration;
import java.time.Instant;

/** The OAuth tokens of one Xero connection, as kept in its Secrets Manager secret. */
public record ConnectionTokens(
    String accessToken, String refreshToken, Instant accessTokenExpiresAt, Instant refreshedAt) {

  public boolean accessTokenValidFor(Duration margin, Instant now) {
    return accessTokenExpiresAt != null && accessTokenExpiresAt.isAfter(now.plus(margin));
  }

  /** Tokens never reach a log line, even by accident. */
  @Override
  public String toString() {
    return "ConnectionTokens[accessTokenExpiresAt="
        + accessTokenExpiresAt
        + ", refreshedAt="
        + refreshedAt
        + ", tokens=<redacted>]";
  }
}
