package dev.xerosync.connect;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.auth.AdminAuth;
import dev.xerosync.common.ApiResponses;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Json;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.common.Problem;
import dev.xerosync.common.Requests;
import dev.xerosync.notify.ConnectionAlerts;
import dev.xerosync.store.Connection;
import dev.xerosync.store.ConnectionRecords;
import dev.xerosync.store.Connections;
import dev.xerosync.store.InitialSyncProgress;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A SaaS tenant's connections and where each stands: status, progress of the initial sync, and for
 * every unhealthy state a plain-language reason, the action that fixes it, and a URL where one
 * applies.
 */
public final class ConnectionStatusHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private static final Log LOG = Log.of(ConnectionStatusHandler.class);

  private final AdminAuth admin;
  private final Connections connections;
  private final ConnectionRecords records;
  private final Clock clock;

  public ConnectionStatusHandler() {
    this(Environment.process());
    Priming.register(ConnectionStatusHandler.class, this::prime);
  }

  /** Builds the status of a connection that cannot exist: one DynamoDB read, nothing found. */
  public void prime() {
    status("priming", "00000000-0000-0000-0000-000000000000");
  }

  public ConnectionStatusHandler(Environment env) {
    this(ConnectWiring.of(env));
  }

  private ConnectionStatusHandler(ConnectWiring w) {
    this(w.admin(), w.connections(), w.records(), w.clock());
  }

  public ConnectionStatusHandler(
      AdminAuth admin, Connections connections, ConnectionRecords records, Clock clock) {
    this.admin = admin;
    this.connections = connections;
    this.records = records;
    this.clock = clock;
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent request, Context context) {
    String saasTenantId = Requests.path(request, "saasTenantId");
    if (saasTenantId == null || !ConnectHandler.SAAS_TENANT.matcher(saasTenantId).matches()) {
      return ApiResponses.problem(
          400,
          "Invalid SaaS tenant id",
          "The SaaS tenant id in the path must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit.");
    }
    try {
      admin.authenticate(request, saasTenantId);
    } catch (Problem e) {
      return e.response();
    }
    try {
      String tenantId = Requests.idPath(request, "tenantId");
      if (tenantId == null) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("saasTenantId", saasTenantId);
        ArrayNode list = body.putArray("connections");
        for (String t : records.tenantsOf(saasTenantId)) {
          status(saasTenantId, t).ifPresent(list::add);
        }
        return ApiResponses.json(200, body, Map.of("Cache-Control", "no-store"));
      }
      return status(saasTenantId, tenantId)
          .map(s -> ApiResponses.json(200, s, Map.of("Cache-Control", "no-store")))
          .orElseGet(
              () ->
                  ApiResponses.problem(
                      404,
                      "Connection not found",
                      "SaaS tenant "
                          + saasTenantId
                          + " has no connection to Xero organisation "
                          + tenantId
                          + ". List its connections at /saas-tenants/"
                          + saasTenantId
                          + "/connections."));
    } catch (RuntimeException e) {
      LOG.error("status failed", e, "saasTenantId", saasTenantId);
      return ApiResponses.problem(
          500, "Internal error", "The status could not be read; retry in a moment.");
    }
  }

  /** A connection's status document; empty when it is not this SaaS tenant's. */
  Optional<ObjectNode> status(String saasTenantId, String tenantId) {
    Optional<ConnectionRecords.Link> link =
        records.link(tenantId).filter(l -> l.saasTenantId().equals(saasTenantId));
    Optional<Connection> connection = link.flatMap(l -> connections.get(tenantId));
    if (link.isEmpty() || connection.isEmpty()) {
      return Optional.empty();
    }
    ConnectionRecords.Link l = link.get();
    Connection c = connection.get();
    ObjectNode n =
        Json.MAPPER
            .createObjectNode()
            .put("tenantId", tenantId)
            .put("saasTenantId", saasTenantId)
            .put("organisationName", l.organisationName())
            .put("status", c.status().name())
            .put("connectedBy", l.connectedBy())
            .put("connectedAt", str(l.connectedAt()));
    switch (c.status()) {
      case PENDING ->
          n.put("reason", "Connected; the initial sync is queued and starts within seconds.");
      case SYNCING ->
          n.put("reason", "The initial sync is running; the last 12 months are synced first.");
      case CONNECTED -> {}
      case RATE_LIMITED -> {
        n.put(
            "reason",
            c.statusReason() == null
                ? "Xero's API limit for this organisation is used up."
                : c.statusReason());
        n.put("rateLimitedUntil", str(c.rateLimitedUntil()));
        n.put(
            "action",
            "None needed: syncing resumes by itself"
                + (c.rateLimitedUntil() == null ? "." : " at " + c.rateLimitedUntil() + "."));
      }
      case NEEDS_RECONNECT -> {
        n.put(
            "reason",
            c.statusReason() == null
                ? ConnectionAlerts.reconnectReason(l.organisationName(), "")
                : c.statusReason());
        String url = l.actionUrl() != null ? l.actionUrl() : ConnectionAlerts.reconnectUrl(l);
        n.put(
            "action",
            l.statusAction() != null
                ? l.statusAction()
                : "An admin reconnects the organisation at " + url + ".");
        n.put("actionUrl", url);
      }
      case DISCONNECTED -> {
        n.put(
            "reason",
            "Disconnected"
                + (l.disconnectedBy() == null ? "" : " by " + l.disconnectedBy())
                + (l.disconnectedAt() == null ? "" : " at " + l.disconnectedAt())
                + ".");
        n.put("action", "Connect it again at any time; the sync resumes cleanly.");
        n.put("actionUrl", ConnectionAlerts.reconnectUrl(l));
      }
    }
    if (c.initialSync() != null) {
      n.set("initialSync", InitialSyncProgress.json(c.initialSync(), clock.instant()));
    }
    n.put("lastReconciledAt", str(c.lastReconciledAt()));
    return Optional.of(n);
  }

  private static @Nullable String str(@Nullable Object o) {
    return o == null ? null : o.toString();
  }
}
