package dev.xerosync.connect;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.xerosync.auth.AdminAuth;
import dev.xerosync.auth.TenantUsageKeys;
import dev.xerosync.common.ApiResponses;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.common.Problem;
import dev.xerosync.common.Requests;
import dev.xerosync.store.ConnectionRecords;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.tokens.XeroTenantConnections;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Disconnects an organisation: removes it from the app in Xero ({@code DELETE /connections/{id}}),
 * revokes the refresh token when no other organisation hangs off the same consent (revocation ends
 * all of them), deletes the connection's secret, and marks the connection Disconnected. {@code
 * ?purge=true} also deletes the organisation's synced data. Connecting again later starts a fresh
 * initial sync.
 */
public final class DisconnectHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private static final Log LOG = Log.of(DisconnectHandler.class);

  private final ConnectWiring w;
  private final TenantUsageKeys usageKeys;

  public DisconnectHandler() {
    this(Environment.process());
    Priming.register(DisconnectHandler.class, this::prime);
  }

  /**
   * Refuses an unauthenticated request (a 401, nothing changed) and reads a connection that cannot
   * exist.
   */
  public void prime() {
    handleRequest(
        new APIGatewayProxyRequestEvent()
            .withHttpMethod("DELETE")
            .withPath("/saas-tenants/priming/connections/" + "00000000-0000-0000-0000-000000000000")
            .withPathParameters(
                Map.of(
                    "saasTenantId", "priming", "tenantId", "00000000-0000-0000-0000-000000000000"))
            .withHeaders(Map.of()),
        null);
    w.records().link("00000000-0000-0000-0000-000000000000");
  }

  public DisconnectHandler(Environment env) {
    this(ConnectWiring.of(env), TenantUsageKeys.of(env));
  }

  public DisconnectHandler(ConnectWiring wiring, TenantUsageKeys usageKeys) {
    this.w = wiring;
    this.usageKeys = usageKeys;
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent request, @Nullable Context context) {
    String saasTenantId = Requests.path(request, "saasTenantId");
    String tenantId = Requests.idPath(request, "tenantId");
    if (saasTenantId == null || !ConnectHandler.SAAS_TENANT.matcher(saasTenantId).matches()) {
      return ApiResponses.problem(
          400,
          "Invalid SaaS tenant id",
          "The SaaS tenant id in the path must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit.");
    }
    String purgeParam = Requests.query(request, "purge");
    if (purgeParam != null && !purgeParam.equals("true") && !purgeParam.equals("false")) {
      return ApiResponses.problem(
          400,
          "Invalid purge",
          "purge must be true or false (default false: synced data is kept).");
    }
    boolean purge = "true".equals(purgeParam);
    AdminAuth.Admin who;
    try {
      who = w.admin().authenticate(request, saasTenantId);
    } catch (Problem e) {
      return e.response();
    }
    var link =
        w.records()
            .link(tenantId == null ? "" : tenantId)
            .filter(l -> l.saasTenantId().equals(saasTenantId))
            .orElse(null);
    if (link == null) {
      return ApiResponses.problem(
          404,
          "Connection not found",
          "SaaS tenant "
              + saasTenantId
              + " has no connection to Xero organisation "
              + tenantId
              + ". List its connections at /saas-tenants/"
              + saasTenantId
              + "/connections.");
    }
    try {
      return ApiResponses.json(200, disconnect(link, who.who(), purge));
    } catch (RuntimeException e) {
      LOG.error("disconnect failed", e, "tenantId", tenantId);
      return ApiResponses.problem(
          500,
          "Internal error",
          "The disconnect did not complete; send the same request again (it is safe to repeat).");
    }
  }

  Map<String, Object> disconnect(ConnectionRecords.Link link, String by, boolean purge) {
    String tenantId = link.tenantId();
    boolean removedInXero = false;
    boolean revoked = false;
    if (w.vault().read(tenantId).isPresent()) {
      try {
        String access = w.tokens().accessToken(tenantId);
        try {
          if (link.xeroConnectionId() != null) {
            w.tenantConnections().delete(access, link.xeroConnectionId());
            removedInXero = true;
          }
          // Revoking ends every organisation of this consent: only when none is left.
          if (w.tenantConnections().list(access, null).isEmpty()) {
            w.identity().revoke(w.vault().read(tenantId).orElseThrow().refreshToken());
            revoked = true;
          }
        } catch (XeroTenantConnections.Failure e) {
          LOG.warn(
              "Xero connection removal incomplete", "tenantId", tenantId, "status", e.status());
        }
      } catch (TokenRefreshException e) {
        // Xero already refuses these tokens (revoked or expired): nothing is left to remove there.
        LOG.warn(
            "tokens unusable at disconnect; nothing to revoke",
            "tenantId",
            tenantId,
            "error",
            e.error());
      }
      w.vault().delete(tenantId);
    }
    w.tokens().forget(tenantId);
    Instant now = w.clock().instant();
    w.connections()
        .setStatus(tenantId, ConnectionStatus.DISCONNECTED, "Disconnected by " + by + ".", null);
    w.connections().recordDisconnected(tenantId, by, now);
    int purged = purge ? w.purge().purge(tenantId) : 0;
    if (purge) {
      // Its API keys went with the purge; its usage-plan key goes too (it counts toward API
      // Gateway's 10,000 keys a region).
      usageKeys.remove(tenantId);
    }
    w.alerts().disconnected(link, by);
    LOG.info(
        "organisation disconnected",
        "tenantId",
        tenantId,
        "saasTenantId",
        link.saasTenantId(),
        "removedInXero",
        removedInXero,
        "revoked",
        revoked,
        "purgedItems",
        purged);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tenantId", tenantId);
    body.put("saasTenantId", link.saasTenantId());
    body.put("status", ConnectionStatus.DISCONNECTED.name());
    body.put("removedInXero", removedInXero);
    body.put("tokenRevoked", revoked);
    body.put("purgedItems", purged);
    return body;
  }
}
