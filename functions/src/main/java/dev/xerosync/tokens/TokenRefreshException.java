package dev.xerosync.tokens;

import dev.xerosync.common.Log;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A refresh Xero refused ({@code invalid_grant} and friends) or could not be reached for. */
public final class TokenRefreshException extends Exception implements Log.SafeMessage {
  private final String error;

  public TokenRefreshException(String error, String message) {
    super(message);
    this.error = error;
  }

  public String error() {
    return error;
  }

  public boolean isInvalidGrant() {
    return "invalid_grant".equals(error);
  }

  /**
   * Only the organisation's admin can mend this by reconnecting: Xero refused the refresh token, or
   * the tenant is not connected. Anything else (Xero's identity service unreachable) may pass.
   */
  public boolean isPermanent() {
    return isInvalidGrant() || "not_connected".equals(error);
  }

  /** Never null: the constructor takes a message. */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage(), "a TokenRefreshException has a message");
  }

  @Override
  public @Nullable String safeMessage() {
    return getMessage();
  }
}
