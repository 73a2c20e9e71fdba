package dev.xerosync.syncengine;

import dev.xerosync.common.Log;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import java.time.Duration;

/** Why a tenant's sync could not finish, and whether trying again later can help. */
public final class SyncFailure extends Exception implements Log.SafeMessage {
  public enum Kind {
    TRANSIENT,
    RATE_LIMITED,
    RECONNECT_NEEDED
  }

  private final Kind kind;
  private final Duration retryAfter;
  private final String limit;

  private SyncFailure(Kind kind, Duration retryAfter, String message) {
    this(kind, retryAfter, null, message);
  }

  private SyncFailure(Kind kind, Duration retryAfter, String limit, String message) {
    super(message);
    this.kind = kind;
    this.retryAfter = retryAfter;
    this.limit = limit;
  }

  static SyncFailure transientFailure(String tenantId, XeroApiException e) {
    return new SyncFailure(Kind.TRANSIENT, null, "tenant " + tenantId + ": " + e.getMessage());
  }

  static SyncFailure rateLimited(String tenantId, XeroApiException e) {
    return new SyncFailure(
        Kind.RATE_LIMITED,
        e.retryAfter(),
        e.problem() == null ? null : e.problem().toLowerCase(java.util.Locale.ROOT),
        "tenant " + tenantId + ": " + e.getMessage());
  }

  static SyncFailure reconnectNeeded(String tenantId, XeroApiException e) {
    return new SyncFailure(
        Kind.RECONNECT_NEEDED, null, "tenant " + tenantId + ": " + e.getMessage());
  }

  static SyncFailure fromToken(String tenantId, TokenRefreshException e) {
    Kind kind =
        e.isInvalidGrant() || "not_connected".equals(e.error())
            ? Kind.RECONNECT_NEEDED
            : Kind.TRANSIENT;
    return new SyncFailure(kind, null, "tenant " + tenantId + ": " + e.getMessage());
  }

  public Kind kind() {
    return kind;
  }

  /** Xero's daily allowance (or our daily budget) is spent: waiting means hours, not seconds. */
  public boolean isDailyLimit() {
    return kind == Kind.RATE_LIMITED && limit != null && limit.startsWith("day");
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public String safeMessage() {
    return getMessage();
  }
}
