package dev.xerosync.events;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.auth.AdminAuth;
import dev.xerosync.common.ApiResponses;
import dev.xerosync.common.AppSecrets;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.common.Problem;
import dev.xerosync.common.Requests;
import dev.xerosync.notify.OutboundUrls;
import dev.xerosync.notify.SubscriptionRules;
import dev.xerosync.notify.WebhookSignature;
import dev.xerosync.store.Subscriptions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A SaaS tenant's event subscriptions, for its admins (as the notification URL is): {@code POST}
 * creates one and answers its signing secret, the only time it is shown; {@code GET} lists them;
 * {@code DELETE .../{subscriptionId}} ends one, and its queued deliveries are dropped as they come
 * up.
 */
public final class SubscriptionHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private static final Log LOG = Log.of(SubscriptionHandler.class);
  static final Pattern SUBSCRIPTION = Pattern.compile("sub_[0-9a-f]{24}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AdminAuth admin;
  private final Subscriptions subscriptions;
  private final WebhookSignature signature;
  private final OutboundUrls urls;
  private final Clock clock;

  public SubscriptionHandler() {
    this(Environment.process());
    Priming.register(SubscriptionHandler.class, this::prime);
  }

  public SubscriptionHandler(Environment env) {
    this(EventsWiring.of(env));
  }

  private SubscriptionHandler(EventsWiring w) {
    this(
        new AdminAuth(AppSecrets.field(w.env(), "adminApiKey", "ADMIN_API_KEY"), w.clock()),
        w.subscriptions(),
        new WebhookSignature(w.signingKey()),
        OutboundUrls.of(w.env()),
        w.clock());
  }

  public SubscriptionHandler(
      AdminAuth admin,
      Subscriptions subscriptions,
      WebhookSignature signature,
      OutboundUrls urls,
      Clock clock) {
    this.admin = admin;
    this.subscriptions = subscriptions;
    this.signature = signature;
    this.urls = urls;
    this.clock = clock;
  }

  /** Refuses an unauthenticated list (a 401) and lists a SaaS tenant that cannot exist. */
  public void prime() {
    handleRequest(
        new APIGatewayProxyRequestEvent()
            .withHttpMethod("GET")
            .withPathParameters(Map.of("saasTenantId", "priming"))
            .withHeaders(Map.of()),
        null);
    subscriptions.list("priming");
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent request, @Nullable Context context) {
    String saasTenantId;
    try {
      saasTenantId = AdminAuth.saasTenantId(request);
      admin.authenticate(request, saasTenantId);
    } catch (Problem e) {
      return e.response();
    }
    String subscriptionId = Requests.path(request, "subscriptionId");
    try {
      return switch (request.getHttpMethod()) {
        case "POST" -> create(request, saasTenantId);
        case "GET" -> list(saasTenantId);
        case "DELETE" -> delete(saasTenantId, subscriptionId);
        default ->
            ApiResponses.problem(
                405,
                "Method not allowed",
                "Use POST to subscribe, GET to list, DELETE to end one.");
      };
    } catch (RuntimeException e) {
      LOG.error("subscriptions failed", e, "saasTenantId", saasTenantId);
      return ApiResponses.problem(500, "Internal error", "Retry in a moment.");
    }
  }

  private APIGatewayProxyResponseEvent create(
      APIGatewayProxyRequestEvent request, String saasTenantId) {
    JsonNode body = Requests.jsonBody(request);
    String url = body.path("url").asText(null);
    List<String> types = new ArrayList<>();
    body.path("types").forEach(t -> types.add(t.asText()));
    String problem = urls.problem(url);
    if (problem != null) {
      return ApiResponses.problem(
          400,
          "Invalid subscription URL",
          "The URL cannot receive events: "
              + problem
              + ". Send a JSON body {\"url\": \"https://…\", \"types\": [\"invoice.paid\"]}.");
    }
    String typeProblem = SubscriptionRules.problem(types);
    if (typeProblem != null) {
      return ApiResponses.problem(
          400, "Invalid event types", "Cannot subscribe: " + typeProblem + ".");
    }
    if (subscriptions.list(saasTenantId).size() >= SubscriptionRules.MAX_PER_SAAS_TENANT) {
      return ApiResponses.problem(
          409,
          "Too many subscriptions",
          "A SaaS tenant has at most "
              + SubscriptionRules.MAX_PER_SAAS_TENANT
              + " subscriptions; delete one, or name more types in one.");
    }
    Instant now = clock.instant();
    String id = newId(now);
    var s =
        new Subscriptions.Subscription(
            saasTenantId, id, types, java.net.URI.create(url).toString(), now);
    subscriptions.put(s);
    LOG.info(
        "subscription created",
        "saasTenantId",
        saasTenantId,
        "subscriptionId",
        id,
        "types",
        types.size());
    Map<String, Object> out = view(s);
    out.put("secret", signature.secret(saasTenantId, id));
    return ApiResponses.json(201, out, Map.of("Cache-Control", "no-store"));
  }

  private APIGatewayProxyResponseEvent list(String saasTenantId) {
    return ApiResponses.json(
        200,
        Map.of(
            "saasTenantId",
            saasTenantId,
            "subscriptions",
            subscriptions.list(saasTenantId).stream().map(SubscriptionHandler::view).toList()));
  }

  private APIGatewayProxyResponseEvent delete(String saasTenantId, @Nullable String id) {
    if (id == null || !SUBSCRIPTION.matcher(id).matches()) {
      return ApiResponses.problem(
          404, "Subscription not found", "No subscription " + id + " for " + saasTenantId + ".");
    }
    if (!subscriptions.delete(saasTenantId, id)) {
      return ApiResponses.problem(
          404, "Subscription not found", "No subscription " + id + " for " + saasTenantId + ".");
    }
    LOG.info("subscription deleted", "saasTenantId", saasTenantId, "subscriptionId", id);
    return ApiResponses.empty(204);
  }

  private static Map<String, Object> view(Subscriptions.Subscription s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("types", s.types());
    m.put("url", s.url());
    m.put("createdAt", s.createdAt().toString());
    return m;
  }

  /** Sorts by creation time: 11 hex digits of milliseconds, then 13 random ones. */
  static String newId(Instant now) {
    byte[] random = new byte[7];
    RANDOM.nextBytes(random);
    return String.format("sub_%011x", now.toEpochMilli())
        + HexFormat.of().formatHex(random).substring(0, 13);
  }
}
