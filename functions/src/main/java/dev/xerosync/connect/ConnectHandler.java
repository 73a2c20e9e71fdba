package dev.xerosync.connect;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.xerosync.auth.AdminAuth;
import dev.xerosync.common.ApiResponses;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.common.Problem;
import dev.xerosync.common.Requests;
import dev.xerosync.notify.OutboundUrls;
import dev.xerosync.notify.WebhookSignature;
import dev.xerosync.queue.EventQueue;
import dev.xerosync.store.ConnectFlows;
import dev.xerosync.store.ConnectionRecords;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Starts the connect flow for an admin of a SaaS tenant: records the flow, and redirects the
 * browser to Xero's authorize page with our scopes, a signed single-use {@code state} and a PKCE
 * S256 challenge. Also sets where the SaaS tenant's notifications go.
 */
public final class ConnectHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private static final Log LOG = Log.of(ConnectHandler.class);
  static final Pattern SAAS_TENANT = AdminAuth.SAAS_TENANT;
  private static final String OPENID = "openid profile email offline_access";

  /** Xero apps created from March 2026 get only granular scopes. */
  static final String GRANULAR =
      "accounting.invoices.read accounting.payments.read accounting.contacts.read accounting.settings.read";

  /** Older apps may keep the broad scopes until Xero retires them. */
  static final String BROAD =
      "accounting.transactions.read accounting.contacts.read accounting.settings.read";

  private final AdminAuth admin;
  private final ConnectFlows flows;
  private final ConnectState state;
  private final ConnectionRecords records;
  private final URI loginBase;
  private final String clientId;
  private final String scope;
  private final Clock clock;
  private final OutboundUrls urls;
  private final WebhookSignature signature;
  private final java.util.function.Function<APIGatewayProxyRequestEvent, String> baseUrl;
  private final SecureRandom random = new SecureRandom();

  public ConnectHandler() {
    this(Environment.process());
    Priming.register(ConnectHandler.class, this::prime);
  }

  /**
   * Refuses an unauthenticated request (no admin key: a 401, nothing written) and reads a profile
   * that cannot exist, warming the DynamoDB client.
   */
  public void prime() {
    handleRequest(
        new APIGatewayProxyRequestEvent()
            .withHttpMethod("GET")
            .withPath("/saas-tenants/priming/connect")
            .withPathParameters(Map.of("saasTenantId", "priming"))
            .withHeaders(Map.of()),
        null);
    records.notificationUrl("priming");
  }

  public ConnectHandler(Environment env) {
    this(ConnectWiring.of(env));
  }

  private ConnectHandler(ConnectWiring w) {
    this(
        w.admin(),
        w.flows(),
        w.state(),
        w.records(),
        URI.create(w.env().required("XERO_LOGIN_BASE_URL")),
        w.env().required("XERO_CLIENT_ID"),
        scope(w.env().get("XERO_SCOPES", "granular")),
        w.clock(),
        w::baseUrl,
        OutboundUrls.of(w.env()),
        new WebhookSignature(w.secrets().notificationSigningKey()));
  }

  public ConnectHandler(
      AdminAuth admin,
      ConnectFlows flows,
      ConnectState state,
      ConnectionRecords records,
      URI loginBase,
      String clientId,
      String scope,
      Clock clock,
      java.util.function.Function<APIGatewayProxyRequestEvent, String> baseUrl,
      OutboundUrls urls,
      WebhookSignature signature) {
    this.baseUrl = baseUrl;
    this.urls = urls;
    this.signature = signature;
    this.admin = admin;
    this.flows = flows;
    this.state = state;
    this.records = records;
    this.loginBase = loginBase;
    this.clientId = clientId;
    this.scope = scope;
    this.clock = clock;
  }

  /** {@code granular} (default), {@code broad}, or an explicit space-separated list. */
  static String scope(String choice) {
    return switch (choice.trim()) {
      case "granular" -> OPENID + " " + GRANULAR;
      case "broad" -> OPENID + " " + BROAD;
      default ->
          choice.contains("offline_access") ? choice.trim() : choice.trim() + " offline_access";
    };
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent request, @Nullable Context context) {
    String saasTenantId = Requests.path(request, "saasTenantId");
    if (saasTenantId == null || !SAAS_TENANT.matcher(saasTenantId).matches()) {
      return ApiResponses.problem(
          400,
          "Invalid SaaS tenant id",
          "The SaaS tenant id in the path must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit.");
    }
    AdminAuth.Admin who;
    try {
      who = admin.authenticate(request, saasTenantId);
    } catch (Problem e) {
      return e.response();
    }
    try {
      return switch (request.getHttpMethod()) {
        case "GET" -> start(request, saasTenantId, who);
        case "PUT" -> notificationUrl(request, saasTenantId);
        default ->
            ApiResponses.problem(
                405, "Method not allowed", "Use GET to connect, PUT to set the notification URL.");
      };
    } catch (RuntimeException e) {
      LOG.error("connect failed", e, "saasTenantId", saasTenantId);
      return ApiResponses.problem(
          500, "Internal error", "The connect flow could not start; retry in a moment.");
    }
  }

  private APIGatewayProxyResponseEvent start(
      APIGatewayProxyRequestEvent request, String saasTenantId, AdminAuth.Admin who) {
    byte[] id = new byte[16];
    random.nextBytes(id);
    String flowId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    Instant expires = clock.instant().plus(ConnectState.TTL);
    String redirectUri = baseUrl.apply(request) + "/connect/callback";
    flows.start(flowId, saasTenantId, who.who(), redirectUri, expires);
    String url =
        loginBase.resolve("/identity/connect/authorize")
            + "?response_type=code"
            + "&client_id="
            + enc(clientId)
            + "&redirect_uri="
            + enc(redirectUri)
            + "&scope="
            + enc(scope)
            + "&state="
            + enc(state.issue(flowId, "callback", expires))
            + "&code_challenge="
            + ConnectState.pkceChallenge(state.pkceVerifier(flowId))
            + "&code_challenge_method=S256";
    LOG.info(
        "connect flow started", "saasTenantId", saasTenantId, "flowId", flowId, "by", who.via());
    if (Requests.wantsJson(request)) {
      return ApiResponses.json(
          200,
          Map.of("authorizeUrl", url, "expiresAt", expires.toString()),
          Map.of("Cache-Control", "no-store"));
    }
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(302)
        .withHeaders(Map.of("Location", url, "Cache-Control", "no-store"))
        .withBody("");
  }

  private APIGatewayProxyResponseEvent notificationUrl(
      APIGatewayProxyRequestEvent request, String saasTenantId) {
    String url = Requests.jsonBody(request).path("url").asText(null);
    String problem = urls.problem(url);
    if (problem != null) {
      return ApiResponses.problem(
          400,
          "Invalid notification URL",
          "The notification URL cannot be used: "
              + problem
              + ". Send a JSON body {\"url\": \"https://…\"} with the public https URL that"
              + " should receive notifications.");
    }
    URI parsed = URI.create(url);
    records.setNotificationUrl(saasTenantId, parsed.toString());
    // The URL also gets the Standard Webhooks headers (docs/events.md); this is their secret.
    return ApiResponses.json(
        200,
        Map.of(
            "saasTenantId",
            saasTenantId,
            "notificationUrl",
            parsed.toString(),
            "secret",
            signature.secret(saasTenantId, EventQueue.NOTIFICATION_URL)),
        Map.of("Cache-Control", "no-store"));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
