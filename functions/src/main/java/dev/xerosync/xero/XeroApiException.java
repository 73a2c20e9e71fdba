package dev.xerosync.xero;

import dev.xerosync.common.Log;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A failed Xero call, with what the caller needs to decide: retry, back off, refresh or give up.
 */
public final class XeroApiException extends Exception implements Log.SafeMessage {
  private final int status;
  private final String problem;
  private final @Nullable Duration retryAfter;

  public XeroApiException(
      int status, String problem, @Nullable Duration retryAfter, String message) {
    super(message);
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  public int status() {
    return status;
  }

  /**
   * Xero's problem name: TokenExpired, AuthenticationUnsuccessful, or the X-Rate-Limit-Problem of a
   * 429.
   */
  public String problem() {
    return problem;
  }

  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  public boolean isTokenExpired() {
    return status == 401;
  }

  public boolean isForbidden() {
    return status == 403;
  }

  public boolean isRateLimited() {
    return status == 429;
  }

  public boolean isRetryable() {
    return status >= 500 || status == 0 || status == 429;
  }

  /** Never null: every constructor takes a message. */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage(), "a XeroApiException has a message");
  }

  @Override
  public @Nullable String safeMessage() {
    return getMessage();
  }
}
