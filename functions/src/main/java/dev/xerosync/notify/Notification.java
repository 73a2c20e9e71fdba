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
}
