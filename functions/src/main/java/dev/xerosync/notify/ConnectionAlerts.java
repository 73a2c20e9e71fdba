package dev.xerosync.notify;

import dev.xerosync.common.Log;
import dev.xerosync.store.ConnectionRecords;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Turns what went wrong with a connection into a status the SaaS can act on (a plain-language
 * reason, the action that fixes it, and a URL where one applies) and a notification. Each kind is
 * sent once per occurrence: needs-reconnect once until the next reconnect, initial-sync-complete
 * once per connect, sync errors at most once an hour.
 */
public final class ConnectionAlerts {
  private static final Log LOG = Log.of(ConnectionAlerts.class);
  static final Duration SYNC_ERROR_QUIET = Duration.ofHours(1);

  private final Connections connections;
  private final ConnectionRecords records;
  private final Notifications notifications;
  private final Clock clock;

  public ConnectionAlerts(
      Connections connections,
      ConnectionRecords records,
      Notifications notifications,
      Clock clock) {
    this.connections = connections;
    this.records = records;
    this.notifications = notifications;
    this.clock = clock;
  }

  /**
   * Xero no longer lets us in. {@code cause} is the safe message of the failure (a 403, or a
   * refused refresh token); it decides which plain-language reason the SaaS sees.
   */
  public void needsReconnect(String tenantId, @Nullable String cause) {
    // A disconnected tenant stays disconnected: a late message for it is not a reason to ask for a
    // reconnect.
    if (connections
        .get(tenantId)
        .map(c -> c.status() == ConnectionStatus.DISCONNECTED)
        .orElse(true)) {
      return;
    }
    var link = records.link(tenantId).orElse(null);
    String org =
        link == null || link.organisationName() == null
            ? "this Xero organisation"
            : link.organisationName();
    String reason = reconnectReason(org, cause == null ? "" : cause);
    connections.setStatus(tenantId, ConnectionStatus.NEEDS_RECONNECT, reason, null);
    String url = link == null ? null : reconnectUrl(link);
    String action =
        "An admin of "
            + (link == null ? "the SaaS tenant" : link.saasTenantId())
            + " reconnects "
            + org
            + ": open the connect link"
            + (url == null ? "" : " " + url)
            + ", sign in to Xero and allow access to "
            + org
            + ". Syncing resumes from where it was; nothing is lost.";
    if (link != null) {
      connections.setAction(tenantId, action, url);
    }
    LOG.warn("connection needs reconnect", "tenantId", tenantId, "cause", cause);
    if (link != null
        && connections.claimNotification(tenantId, "reconnectNotifiedAt", clock.instant(), null)) {
      notifications.publish(
          notification(
              Notification.NEEDS_RECONNECT,
              link,
              ConnectionStatus.NEEDS_RECONNECT,
              reason,
              action,
              url));
    }
  }

  public void initialSyncComplete(String tenantId) {
    var link = records.link(tenantId).orElse(null);
    if (link != null
        && connections.claimNotification(
            tenantId, "initialSyncNotifiedAt", clock.instant(), null)) {
      notifications.publish(
          notification(
              Notification.INITIAL_SYNC_COMPLETE,
              link,
              ConnectionStatus.CONNECTED,
              "The initial sync of "
                  + link.organisationName()
                  + " is complete; its invoices and payments are queryable.",
              null,
              null));
    }
  }

  /** A sync that keeps failing for a reason retrying may fix; at most one notification an hour. */
  public void syncError(String tenantId, String cause) {
    var link = records.link(tenantId).orElse(null);
    Instant now = clock.instant();
    if (link != null
        && connections.claimNotification(
            tenantId, "syncErrorNotifiedAt", now, now.minus(SYNC_ERROR_QUIET))) {
      notifications.publish(
          notification(
              Notification.SYNC_ERROR,
              link,
              null,
              "Syncing "
                  + link.organisationName()
                  + " failed and is being retried automatically: "
                  + cause,
              "None needed unless this repeats for hours; the status endpoint shows the current state.",
              null));
    }
  }

  public void connected(ConnectionRecords.Link link) {
    notifications.publish(
        notification(
            Notification.CONNECTED,
            link,
            ConnectionStatus.PENDING,
            link.organisationName()
                + " was connected by "
                + link.connectedBy()
                + "; the initial sync has started.",
            null,
            null));
  }

  public void disconnected(ConnectionRecords.Link link, String by) {
    notifications.publish(
        notification(
            Notification.DISCONNECTED,
            link,
            ConnectionStatus.DISCONNECTED,
            link.organisationName() + " was disconnected by " + by + ".",
            "Connect it again at any time.",
            reconnectUrl(link)));
  }

  public static @Nullable String reconnectUrl(ConnectionRecords.Link link) {
    return link.apiBaseUrl() == null
        ? null
        : link.apiBaseUrl() + "/saas-tenants/" + link.saasTenantId() + "/connect";
  }

  /** {@code org} null: the organisation's name is not known (yet). */
  public static String reconnectReason(@Nullable String org, String cause) {
    return why(org == null ? "this Xero organisation" : org, cause)
        + " Syncing is paused until an admin reconnects it.";
  }

  private static String why(String org, String cause) {
    if (cause.contains("unused for")) {
      return "The Xero connection to "
          + org
          + " expired: Xero ends a connection whose tokens go unused for 60 days.";
    }
    if (cause.contains("revoked")) {
      return "Xero access to "
          + org
          + " was revoked: the app was disconnected in Xero, or access was removed for the user who connected it.";
    }
    if (cause.contains("no stored connection")) {
      return "No Xero credentials are stored for "
          + org
          + ": the connection was disconnected or never completed.";
    }
    return "Xero refused access to "
        + org
        + ": the app was disconnected from the organisation in Xero (Settings > Connected apps), "
        + "or the user who connected it no longer has access.";
  }

  private Notification notification(
      String type,
      ConnectionRecords.Link link,
      @Nullable ConnectionStatus status,
      String reason,
      @Nullable String action,
      @Nullable String url) {
    return new Notification(
        UUID.randomUUID().toString(),
        type,
        link.saasTenantId(),
        link.tenantId(),
        link.organisationName(),
        status == null ? null : status.name(),
        reason,
        action,
        url,
        clock.instant());
  }
}
