package dev.xerosync.panel;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.auth.PanelTokens;
import dev.xerosync.auth.TenantCredential;
import dev.xerosync.common.ApiResponses;
import dev.xerosync.common.Environment;
import dev.xerosync.common.HttpCaching;
import dev.xerosync.common.Json;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.common.Problem;
import dev.xerosync.common.Requests;
import dev.xerosync.store.Connection;
import dev.xerosync.store.Connections;
import dev.xerosync.store.PanelGrants;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The invoice panel's own routes: the components' ES modules and the standalone page that hosts it
 * in an iframe (both served by {@link PanelPage}), minting panel tokens and setting the origins
 * that may embed the panel (both with the tenant's API key, from the SaaS backend), the connection
 * status a panel shows, and the CORS preflights of the routes a panel calls.
 */
public final class PanelHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private static final Log LOG = Log.of(PanelHandler.class);
  private static final String NO_STORE = HttpCaching.NO_STORE;

  private final PanelGrants grants;
  private final PanelTokens tokens;
  private final PanelTokens settingsTokens;
  private final Connections connections;
  private final PanelPage page;
  private final Map<String, PanelRoutes.Route> routes;
  private final @Nullable String socketUrl;
  private final Clock clock;

  public PanelHandler() {
    this(Environment.process());
    Priming.register(PanelHandler.class, this::prime);
  }

  /** From the function's environment: the process's in Lambda, the local host's locally. */
  public PanelHandler(Environment env) {
    this(PanelWiring.of(env));
  }

  public PanelHandler(PanelWiring w) {
    this.grants = w.grants();
    this.tokens = w.tokens();
    this.settingsTokens = w.settingsTokens();
    this.connections = w.connections();
    this.socketUrl = w.socketUrl();
    this.clock = w.clock();
    this.page = new PanelPage(grants, socketUrl);
    this.routes =
        Map.ofEntries(
            Map.entry("GET " + PanelPage.MODULE_PATH, page::module),
            Map.entry("GET " + PanelPage.SETTINGS_MODULE_PATH, page::settingsModule),
            Map.entry("GET /panel", page::page),
            Map.entry("POST /tenants/{tenantId}/panel-tokens", this::mint),
            Map.entry("POST /tenants/{tenantId}/settings-tokens", this::mintSettings),
            Map.entry(
                "GET /tenants/{tenantId}/panel-origins",
                origins((event, tenantId) -> grants.origins(tenantId))),
            Map.entry("PUT /tenants/{tenantId}/panel-origins", origins(this::setOrigins)),
            Map.entry("POST /tenants/{tenantId}/panel-origins", origins(this::addOrigin)),
            Map.entry("DELETE /tenants/{tenantId}/panel-origins", origins(this::removeOrigin)),
            Map.entry(PanelTokens.STATUS_ROUTE, this::status));
  }

  /** Serves the module and a status request with a token that cannot exist (one DynamoDB read). */
  public void prime() {
    String nil = "00000000-0000-0000-0000-000000000000";
    handleRequest(
        new APIGatewayProxyRequestEvent().withHttpMethod("GET").withResource(PanelPage.MODULE_PATH),
        null);
    handleRequest(
        new APIGatewayProxyRequestEvent()
            .withHttpMethod("GET")
            .withResource(PanelTokens.STATUS_ROUTE.substring(4))
            .withHeaders(Map.of("Authorization", "Bearer xsp_priming_never_a_real_token"))
            .withPathParameters(Map.of("tenantId", nil))
            .withRequestContext(TenantCredential.panelToken(nil).requestContext()),
        null);
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, @Nullable Context context) {
    if ("OPTIONS".equals(event.getHttpMethod())) {
      return PanelRoutes.serve(
          LOG, grants, event, Map.of("OPTIONS " + event.getResource(), this::preflight));
    }
    return PanelRoutes.serve(LOG, grants, event, routes);
  }

  // ---- the SaaS backend's routes (tenant API key)

  private APIGatewayProxyResponseEvent mint(APIGatewayProxyRequestEvent event) throws Problem {
    TenantCredential credential = TenantCredential.of(event);
    String tenantId = credential.apiKeyFor(uuid("tenantId", Requests.path(event, "tenantId")));
    JsonNode body = jsonBody(event, Set.of("recordType", "recordId", "ttlSeconds"));
    String recordType = PanelRoutes.recordType(body.path("recordType").asText(null));
    String recordId = PanelRoutes.recordId(body.path("recordId").asText(null));
    Duration lifetime = lifetime(body.path("ttlSeconds"));
    PanelTokens.Issued issued =
        tokens.mint(tenantId, credential.keyId(), recordType, recordId, lifetime);
    ObjectNode out = minted(issued, PanelTokens.AUDIENCE, tenantId, lifetime);
    out.putObject("record").put("type", recordType).put("id", recordId);
    return ApiResponses.json(201, out, Map.of("Cache-Control", NO_STORE));
  }

  /** A settings token for {@code <xero-connection>}: the tenant's settings routes, nothing else. */
  private APIGatewayProxyResponseEvent mintSettings(APIGatewayProxyRequestEvent event)
      throws Problem {
    TenantCredential credential = TenantCredential.of(event);
    String tenantId = credential.apiKeyFor(uuid("tenantId", Requests.path(event, "tenantId")));
    boolean empty = event.getBody() == null || event.getBody().isBlank();
    Duration lifetime =
        lifetime(
            empty
                ? Json.MAPPER.missingNode()
                : jsonBody(event, Set.of("ttlSeconds")).path("ttlSeconds"));
    PanelTokens.Issued issued =
        settingsTokens.mint(tenantId, credential.keyId(), "settings", tenantId, lifetime);
    ObjectNode out = minted(issued, PanelTokens.SETTINGS_AUDIENCE, tenantId, lifetime);
    return ApiResponses.json(201, out, Map.of("Cache-Control", NO_STORE));
  }

  /** The token's lifetime: {@code ttlSeconds} when given, else the longest. */
  private static Duration lifetime(JsonNode ttl) throws Problem {
    if (!ttl.isMissingNode() && !ttl.canConvertToInt()) {
      throw Problem.invalid("ttlSeconds must be a whole number of seconds, at most 900");
    }
    return ttl.isMissingNode() ? PanelTokens.MAX_TTL : Duration.ofSeconds(ttl.asInt());
  }

  private static ObjectNode minted(
      PanelTokens.Issued issued, String audience, String tenantId, Duration lifetime) {
    return Json.MAPPER
        .createObjectNode()
        .put("token", issued.token())
        .put("tokenType", "Bearer")
        .put("audience", audience)
        .put("tenantId", tenantId)
        .put("expiresAt", issued.grant().expiresAt().toString())
        .put("expiresIn", lifetime.toSeconds());
  }

  /** What an origins route does to the tenant's list: the list it leaves stored. */
  @FunctionalInterface
  private interface OriginsChange {
    List<String> apply(APIGatewayProxyRequestEvent event, String tenantId) throws Problem;
  }

  /**
   * An origins route: for the tenant whose API key calls, the list as {@code change} leaves it,
   * never cached.
   */
  private static PanelRoutes.Route origins(OriginsChange change) {
    return event -> {
      String tenantId = apiKeyTenant(event);
      ObjectNode out = Json.MAPPER.createObjectNode().put("tenantId", tenantId);
      change.apply(event, tenantId).forEach(out.putArray("origins")::add);
      return ApiResponses.json(200, out, Map.of("Cache-Control", NO_STORE));
    };
  }

  /** Replaces the whole list; {@link #addOrigin} and {@link #removeOrigin} change one origin. */
  private List<String> setOrigins(APIGatewayProxyRequestEvent event, String tenantId)
      throws Problem {
    JsonNode body = jsonBody(event, Set.of("origins"));
    if (!body.path("origins").isArray()) {
      throw Problem.invalid(
          "the body needs origins as a list, such as {\"origins\": [\"https://crm.example.com\"]}");
    }
    List<String> raw = new ArrayList<>();
    for (JsonNode o : body.path("origins")) {
      if (!o.isTextual()) {
        throw Problem.invalid("every origin must be a string");
      }
      raw.add(o.asText());
    }
    List<String> origins = PanelTokens.validOrigins(raw);
    grants.setOrigins(tenantId, origins, clock.instant());
    return origins;
  }

  /** Adds one origin, keeping the others; adding one already there changes nothing. */
  private List<String> addOrigin(APIGatewayProxyRequestEvent event, String tenantId)
      throws Problem {
    JsonNode body = jsonBody(event, Set.of("origin"));
    if (!body.path("origin").isTextual()) {
      throw Problem.invalid(
          "the body needs one origin as a string, such as {\"origin\": \"https://crm.example.com\"}");
    }
    String origin = PanelTokens.validOrigin(body.path("origin").asText());
    return grants.changeOrigins(
        tenantId,
        stored -> {
          if (stored.contains(origin)) {
            return stored;
          }
          if (stored.size() >= PanelTokens.MAX_ORIGINS) {
            throw new Problem(
                409,
                "Too many origins",
                "At most "
                    + PanelTokens.MAX_ORIGINS
                    + " origins may embed the panel; remove one with DELETE"
                    + " /tenants/{tenantId}/panel-origins?origin=… first.");
          }
          List<String> next = new ArrayList<>(stored);
          next.add(origin);
          return next;
        },
        clock.instant());
  }

  /** Removes one origin ({@code ?origin=}); 404 when it is not in the list. */
  private List<String> removeOrigin(APIGatewayProxyRequestEvent event, String tenantId)
      throws Problem {
    Map<String, String> q =
        event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
    String raw = q.get("origin");
    if (raw == null || q.size() != 1) {
      throw Problem.invalid(
          "name the origin to remove in the query, such as ?origin=https://crm.example.com"
              + " (percent-encoded), and nothing else");
    }
    String origin = PanelTokens.validOrigin(raw);
    return grants.changeOrigins(
        tenantId,
        stored -> {
          if (!stored.contains(origin)) {
            throw new Problem(
                404,
                "Origin not found",
                "Origin "
                    + origin
                    + " is not one of this tenant's panel origins; GET"
                    + " /tenants/{tenantId}/panel-origins lists them.");
          }
          return stored.stream().filter(o -> !o.equals(origin)).toList();
        },
        clock.instant());
  }

  // ---- what the panel calls (panel token)

  /**
   * The connection's state in the words a panel shows: syncing with percent, rate limited until
   * when, or needing a reconnect.
   */
  private APIGatewayProxyResponseEvent status(APIGatewayProxyRequestEvent event) throws Problem {
    String tenantId = uuid("tenantId", Requests.path(event, "tenantId"));
    TenantCredential credential = TenantCredential.of(event);
    if (credential.isPanelToken()) {
      PanelTokens.allows(
          tokens.check(Requests.bearer(event)),
          PanelTokens.STATUS_ROUTE,
          Map.of("tenantId", tenantId));
    } else {
      credential.apiKeyFor(tenantId);
    }
    Optional<Connection> c = connections.get(tenantId);
    ObjectNode out = Json.MAPPER.createObjectNode().put("tenantId", tenantId);
    if (socketUrl != null) {
      out.put("socketUrl", socketUrl);
    }
    if (c.isEmpty()) {
      out.put("status", "NOT_CONNECTED");
      out.put("reason", "No Xero organisation is connected for this tenant.");
      out.put("action", "RECONNECT");
    } else {
      Connection conn = c.get();
      out.put("status", conn.status().name());
      switch (conn.status()) {
        case PENDING, SYNCING -> {
          int percent = conn.initialSync() == null ? 0 : conn.initialSync().percentDone();
          out.put("percentDone", percent);
          out.put("reason", "Syncing invoices from Xero: the last 12 months come first.");
        }
        case RATE_LIMITED -> {
          out.put(
              "reason",
              reasonOr(conn, "Xero's API limit for this organisation is used up for now."));
          if (conn.rateLimitedUntil() != null) {
            out.put("retryAt", conn.rateLimitedUntil().toString());
          }
        }
        case NEEDS_RECONNECT -> {
          out.put(
              "reason",
              reasonOr(conn, "Xero no longer accepts this connection; an admin reconnects it."));
          out.put("action", "RECONNECT");
        }
        case DISCONNECTED -> {
          out.put("reason", "Xero is disconnected for this tenant.");
          out.put("action", "RECONNECT");
        }
        case CONNECTED -> {}
      }
    }
    return PanelRoutes.cacheable(
        grants,
        event,
        out.toString(),
        "application/json",
        HttpCaching.PRIVATE_REVALIDATE,
        Map.of());
  }

  private static String reasonOr(Connection c, String fallback) {
    return c.statusReason() == null ? fallback : c.statusReason();
  }

  /**
   * Preflight of a route the panel calls cross-origin: allowed only for an origin the tenant
   * configured; API Gateway passes OPTIONS through here rather than answering it with fixed
   * origins.
   */
  private APIGatewayProxyResponseEvent preflight(APIGatewayProxyRequestEvent event) throws Problem {
    String tenantId = uuid("tenantId", Requests.path(event, "tenantId"));
    String origin = Requests.header(event, "Origin");
    if (origin == null || !grants.origins(tenantId).contains(origin)) {
      throw new Problem(
          403,
          "Forbidden",
          "Origin "
              + (origin == null ? "(none)" : origin)
              + " may not embed this tenant's panel; add it with POST /tenants/{tenantId}/panel-origins.");
    }
    Map<String, String> headers = new HashMap<>(PanelTokens.corsHeaders(origin));
    headers.put("Vary", "Origin");
    return new APIGatewayProxyResponseEvent().withStatusCode(204).withHeaders(headers).withBody("");
  }

  // ---- helpers

  /** The tenant in the path, when the authorizer accepted an API key issued for it. */
  private static String apiKeyTenant(APIGatewayProxyRequestEvent event) throws Problem {
    TenantCredential credential = TenantCredential.of(event);
    return credential.apiKeyFor(uuid("tenantId", Requests.path(event, "tenantId")));
  }

  private static JsonNode jsonBody(APIGatewayProxyRequestEvent event, Set<String> fields)
      throws Problem {
    String body = event.getBody();
    if (body != null && Boolean.TRUE.equals(event.getIsBase64Encoded())) {
      try {
        body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        body = null;
      }
    }
    JsonNode node = null;
    try {
      node = body == null ? null : Json.MAPPER.readTree(body);
    } catch (IOException e) {
      // Falls through to the message below.
    }
    if (node == null || !node.isObject()) {
      throw Problem.invalid("the body must be a JSON object with " + String.join(", ", fields));
    }
    for (var it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!fields.contains(f)) {
        throw Problem.invalid(
            "unknown field '" + truncate(f) + "'; send " + String.join(", ", fields));
      }
    }
    return node;
  }

  static String uuid(String name, @Nullable String value) throws Problem {
    return PanelRoutes.uuid(name, value);
  }

  private static String truncate(String s) {
    return PanelRoutes.truncate(s);
  }
}
