package dev.xerosync.syncengine;

import dev.xerosync.common.Log;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Why a tenant's sync could not finish, and whether trying again later can help. */
public final class SyncFailure extends Exception implements Log.SafeMessage {
  public enum Kind {
    TRANSIENT,
    RATE_LIMITED,
    RECONNECT_NEEDED
  }

  private final Kind kind;
  private final @Nullable Duration retryAfter;
  private final @Nullable String limit;

  /**
   * The changes not yet fetched when the failure came, or null when progress is unknown (then
   * everything asked must be asked again).
   */
  private final @Nullable Remaining remaining;

  /** Invoice and contact ids a CHANGES sync had still to fetch. */
  public record Remaining(List<String> invoiceIds, List<String> contactIds) {
    public Remaining {
      invoiceIds = List.copyOf(invoiceIds);
      contactIds = List.copyOf(contactIds);
    }

    public boolean isEmpty() {
      return invoiceIds.isEmpty() && contactIds.isEmpty();
    }
  }

  private SyncFailure(Kind kind, @Nullable Duration retryAfter, String message) {
    this(kind, retryAfter, null, message);
  }

  private SyncFailure(
      Kind kind, @Nullable Duration retryAfter, @Nullable String limit, String message) {
    this(kind, retryAfter, limit, null, message);
  }

  private SyncFailure(
      Kind kind,
      @Nullable Duration retryAfter,
      @Nullable String limit,
      @Nullable Remaining remaining,
      String message) {
    super(message);
    this.kind = kind;
    this.retryAfter = retryAfter;
    this.limit = limit;
    this.remaining = remaining;
  }

  /** The same failure, saying which of the changes asked for are still to fetch. */
  public SyncFailure withRemaining(Remaining remaining) {
    SyncFailure f = new SyncFailure(kind, retryAfter, limit, remaining, getMessage());
    f.setStackTrace(getStackTrace());
    return f;
  }

  /** Null when unknown: then every change asked for is still to fetch. */
  public @Nullable Remaining remaining() {
    return remaining;
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

  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  /** Never null: every SyncFailure is built with a message. */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage(), "a SyncFailure has a message");
  }

  @Override
  public String safeMessage() {
    return getMessage();
  }
}
