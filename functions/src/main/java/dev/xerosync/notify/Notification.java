package dev.xerosync.notify;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An event the SaaS hears about on its notification URL. Types: {@code connection.connected},
 * {@code sync.initial_complete}, {@code connection.needs_reconnect}, {@code sync.error}, {@code
 * connection.disconnected}. {@code action} and {@code actionUrl} say what fixes an unhealthy state.
 */
public record Notification(
    String id,
    String type,
    @Nullable String saasTenantId,
    String tenantId,
    @Nullable String organisationName,
    @Nullable String status,
    String reason,
    @Nullable String action,
    @Nullable String actionUrl,
    Instant occurredAt) {
  public static final String CONNECTED = "connection.connected";
  public static final String INITIAL_SYNC_COMPLETE = "sync.initial_complete";
  public static final String NEEDS_RECONNECT = "connection.needs_reconnect";
  public static final String SYNC_ERROR = "sync.error";
  public static final String DISCONNECTED = "connection.disconnected";
  public static final String WRITE_SUCCEEDED = "write.succeeded";
  public static final String WRITE_FAILED = "write.failed";
  public static final String WRITE_NEEDS_ATTENTION = "write.needs_attention";

  /**
   * The notification types: they share the event channel with the business types, and go to the
   * notification URL as well as to the subscriptions that name them.
   */
  public static final java.util.List<String> TYPES =
      java.util.List.of(
          CONNECTED,
          INITIAL_SYNC_COMPLETE,
          NEEDS_RECONNECT,
          SYNC_ERROR,
          DISCONNECTED,
          WRITE_SUCCEEDED,
          WRITE_FAILED,
          WRITE_NEEDS_ATTENTION);
}
