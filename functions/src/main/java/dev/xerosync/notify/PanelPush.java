package dev.xerosync.notify;

import dev.xerosync.common.ApiGatewayConnections;
import dev.xerosync.common.ApiGatewayManagement;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Metrics;
import dev.xerosync.store.PanelSockets;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Tells the open panels that show a contact that it changed: one notice per connection that
 * listens to the contact (see {@link PanelSockets}), posted through API Gateway's {@code
 * @connections}. The notice names no data; the panel fetches what it shows with its own token.
 *
 * <p>The listeners are read strongly consistent after each commit, so a connection whose {@code
 * $connect} has returned is never missed, and a change committed before that is read by the panel,
 * which fetches whenever its socket opens. (Skipping this read for tenants found with no panel a
 * moment ago withheld notices from a panel that connected in that moment, after each reconnect
 * too; issue #26 leaves that Query on the hot path.)
 *
 * <p>410 Gone means the connection is closed, or that its {@code $connect} has not finished yet:
 * API Gateway answers 410 until then. A connection younger than {@link #CONNECTING} is therefore
 * kept (the panel fetches once open); an older one is forgotten. Any other failure is retried
 * {@link #ATTEMPTS} times when a retry can help (throttling, 5xx, network), then logged and
 * counted ({@code PanelNoticesUndelivered}); never thrown: the change is stored, and the panel
 * revalidates every 15 minutes while its socket is up.
 */
public final class PanelPush {
  private static final Log LOG = Log.of(PanelPush.class);
  static final String NOTICE = "{\"type\":\"changed\"}";

  /**
   * Longer than a {@code $connect} can take: API Gateway's integration timeout is 29 s
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
   */
  static final Duration CONNECTING = Duration.ofSeconds(30);

  static final int ATTEMPTS = 3;

  private final PanelSockets sockets;
  private final ApiGatewayConnections connections;
  private final Clock clock;
  private final Duration backoff;

  public PanelPush(PanelSockets sockets, ApiGatewayConnections connections, Clock clock) {
    this(sockets, connections, clock, Duration.ofMillis(100));
  }

  /** {@code backoff}: the wait before the first retry of a failed post, tripled after each. */
  PanelPush(
      PanelSockets sockets, ApiGatewayConnections connections, Clock clock, Duration backoff) {
    this.sockets = sockets;
    this.connections = connections;
    this.clock = clock;
    this.backoff = backoff;
  }

  /** The deployment's: to the WebSocket API at PANEL_SOCKET_ENDPOINT, when the function has it. */
  public static Optional<PanelPush> deployed(Environment env) {
    return env.optional("PANEL_SOCKET_ENDPOINT")
        .map(
            endpoint ->
                new PanelPush(
                    new PanelSockets(AwsClients.dynamoDb(env), env.required("TABLE_NAME")),
                    AwsClients.apiGatewayConnections(env, endpoint),
                    env.clock()));
  }

  /** Notifies the panels of the tenant's contact; returns how many notices were delivered. */
  public int changed(String tenantId, String contactId) {
    int delivered = 0;
    try {
      Instant now = clock.instant();
      for (PanelSockets.Listener listener : sockets.listeners(tenantId, contactId, now)) {
        if (post(tenantId, listener, now)) {
          delivered++;
        }
      }
    } catch (RuntimeException e) {
      LOG.error("panels not notified of a change", e, "tenantId", tenantId);
      Metrics.count(Metrics.PANEL_NOTICES_UNDELIVERED, 1);
    }
    return delivered;
  }

  /** Posts one notice, retrying what a retry can mend; true when it was delivered. */
  private boolean post(String tenantId, PanelSockets.Listener listener, Instant now) {
    for (int attempt = 1; ; attempt++) {
      try {
        return switch (connections.post(listener.connectionId(), NOTICE)) {
          case DELIVERED -> true;
          case GONE -> {
            if (listener.connectedAt().plus(CONNECTING).isBefore(now)) {
              sockets.gone(tenantId, listener.contactId(), listener.connectionId());
            }
            yield false;
          }
        };
      } catch (RuntimeException e) {
        if (attempt < ATTEMPTS && retriable(e) && paused(attempt)) {
          continue;
        }
        LOG.warn(
            "panel notice not delivered",
            "tenantId",
            tenantId,
            "connectionId",
            listener.connectionId(),
            "attempts",
            Integer.toString(attempt),
            "error",
            e.getMessage());
        Metrics.count(Metrics.PANEL_NOTICES_UNDELIVERED, 1);
        return false;
      }
    }
  }

  /** Throttling (429), API Gateway's 5xx and the network can pass; a refusal (403, 400) cannot. */
  static boolean retriable(RuntimeException e) {
    if (e instanceof ApiGatewayManagement.Failure f) {
      return f.status() == 429 || f.status() >= 500;
    }
    return e instanceof UncheckedIOException;
  }

  /** Waits before retry {@code attempt}; false when interrupted (the function is stopping). */
  private boolean paused(int attempt) {
    try {
      Thread.sleep(backoff.multipliedBy((long) Math.pow(3, attempt - 1)));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
