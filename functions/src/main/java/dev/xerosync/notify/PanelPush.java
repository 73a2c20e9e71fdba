package dev.xerosync.notify;

import dev.xerosync.common.ApiGatewayConnections;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.store.PanelSockets;
import java.time.Clock;
import java.util.Optional;

/**
 * Tells the open panels that show a contact that it changed: one notice per connection that
 * listens to the contact (see {@link PanelSockets}), posted through API Gateway's {@code
 * @connections}. The notice names no data; the panel fetches what it shows with its own token. A
 * connection API Gateway answers 410 for is gone and forgotten. A failure is logged, never thrown:
 * the change is stored, and a panel that misses a notice still catches up on its fallback poll.
 */
public final class PanelPush {
  private static final Log LOG = Log.of(PanelPush.class);
  static final String NOTICE = "{\"type\":\"changed\"}";

  private final PanelSockets sockets;
  private final ApiGatewayConnections connections;
  private final Clock clock;

  public PanelPush(PanelSockets sockets, ApiGatewayConnections connections, Clock clock) {
    this.sockets = sockets;
    this.connections = connections;
    this.clock = clock;
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
      for (String connectionId : sockets.listening(tenantId, contactId, clock.instant())) {
        try {
          switch (connections.post(connectionId, NOTICE)) {
            case DELIVERED -> delivered++;
            case GONE -> sockets.gone(tenantId, contactId, connectionId);
          }
        } catch (RuntimeException e) {
          LOG.warn(
              "panel notice not delivered",
              "tenantId",
              tenantId,
              "connectionId",
              connectionId,
              "error",
              e.getMessage());
        }
      }
    } catch (RuntimeException e) {
      LOG.error("panels not notified of a change", e, "tenantId", tenantId);
    }
    return delivered;
  }
}
