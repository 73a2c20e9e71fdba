package dev.xerosync.tokens;

import dev.xerosync.common.Log;

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

  @Override
  public String safeMessage() {
    return getMessage();
  }
}
