package dev.xerosync.infra.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xerosync.infra.aws.ApiGatewayStandIn.UsagePlan;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * What API Gateway (REST API) checks before it invokes a route's function, in its order, with its
 * answers: a Lambda REQUEST authorizer (identity sources that must all be present, its result
 * cached by their values for the authorizer's TTL and evaluated against each request's method ARN),
 * then the API key (from the x-api-key header, or from the authorizer's usageIdentifierKey when the
 * API's ApiKeySourceType is AUTHORIZER), which must exist, be enabled and be in a usage plan (403
 * otherwise), then that plan's throttle and quota for that key ({@link UsagePlanMeter}, 429). A
 * route whose auth is wrong in template.yaml fails here as it would on AWS.
 */
public final class ApiGatewayAuth {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A REQUEST authorizer of the API and the handler of the function it runs. */
  public record Authorizer(
      String name,
      List<String> identityHeaders,
      List<String> identityQueryStrings,
      Duration ttl,
      String functionName,
      Duration timeout,
      RequestHandler<APIGatewayCustomAuthorizerEvent, ?> handler) {}

  /**
   * API Gateway's answer when it stops a request, or what it passes on when it lets one through.
   */
  public sealed interface Outcome {}

  /** A refusal, with the gateway response type whose headers it carries (GatewayResponses). */
  public record Refused(int status, String message, String responseType) implements Outcome {}

  public record Passed(Map<String, Object> authorizerContext) implements Outcome {}

  private record Cached(JsonNode response, long expiresAtNanos) {}

  /** The usage plan an API key value passes: it exists, is enabled and is in the plan. */
  public interface UsagePlans {
    Optional<UsagePlan> planOf(String apiKeyValue);
  }

  private final String apiKeySource;
  private final UsagePlans plans;
  private final LongSupplier nanos;
  private final UsagePlanMeter meter;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  /**
   * @param apiKeySource HEADER or AUTHORIZER, as the API's ApiKeySourceType
   * @param plans the API's usage plans and their keys (API Gateway's management API)
   */
  public ApiGatewayAuth(String apiKeySource, UsagePlans plans) {
    this(apiKeySource, plans, System::nanoTime, Clock.systemUTC());
  }

  /** Keys in one plan without throttle or quota. */
  public ApiGatewayAuth(String apiKeySource, Set<String> usagePlanKeys) {
    this(
        apiKeySource,
        key ->
            usagePlanKeys.contains(key)
                ? Optional.of(new UsagePlan("plan", 0, 0, 0, "MONTH"))
                : Optional.empty());
  }

  /** With the clocks of a test: authorizer cache and token buckets, and quota periods. */
  ApiGatewayAuth(String apiKeySource, UsagePlans plans, LongSupplier nanos, Clock clock) {
    this.apiKeySource = apiKeySource;
    this.plans = plans;
    this.nanos = nanos;
    this.meter = new UsagePlanMeter(nanos, clock);
  }

  /** One request as API Gateway sees it before any function runs. */
  public record Request(
      String method,
      String resourcePath,
      String path,
      String methodArn,
      Map<String, String> headers,
      Map<String, String> query,
      Map<String, String> pathParameters) {}

  public Outcome check(Authorizer authorizer, boolean apiKeyRequired, Request request) {
    Map<String, Object> context = null;
    String usageKey = null;
    if (authorizer != null) {
      List<String> identity = new ArrayList<>();
      for (String h : authorizer.identityHeaders()) {
        identity.add(header(request.headers(), h));
      }
      for (String q : authorizer.identityQueryStrings()) {
        identity.add(request.query() == null ? null : request.query().get(q));
      }
      if (identity.stream().anyMatch(v -> v == null || v.isEmpty())) {
        return new Refused(401, "Unauthorized", "UNAUTHORIZED");
      }
      String cacheKey = authorizer.name() + "\n" + String.join("\n", identity);
      JsonNode response = null;
      boolean caching = !authorizer.ttl().isZero();
      if (caching) {
        Cached hit = cache.get(cacheKey);
        if (hit != null && nanos.getAsLong() < hit.expiresAtNanos()) {
          response = hit.response();
        }
      }
      if (response == null) {
        try {
          response = JSON.valueToTree(invoke(authorizer, request));
        } catch (RuntimeException e) {
          if ("Unauthorized".equals(e.getMessage())) {
            return new Refused(401, "Unauthorized", "UNAUTHORIZED");
          }
          System.err.println("[api] authorizer " + authorizer.name() + " failed: " + e);
          return new Refused(500, null, "AUTHORIZER_FAILURE");
        }
        if (caching) {
          long now = nanos.getAsLong();
          // Expired results go, so a long run with many credentials does not keep them all.
          cache.values().removeIf(c -> now >= c.expiresAtNanos());
          cache.put(cacheKey, new Cached(response, now + authorizer.ttl().toNanos()));
        }
      }
      Refused denied = evaluate(response.path("policyDocument"), request.methodArn());
      if (denied != null) {
        return denied;
      }
      context = new LinkedHashMap<>();
      for (var e : response.path("context").properties()) {
        // API Gateway hands the context on with every value as a string.
        context.put(e.getKey(), e.getValue().asText());
      }
      context.put("principalId", response.path("principalId").asText(null));
      usageKey = response.path("usageIdentifierKey").asText(null);
    }
    if (apiKeyRequired) {
      String key =
          "AUTHORIZER".equals(apiKeySource) ? usageKey : header(request.headers(), "x-api-key");
      Optional<UsagePlan> plan = key == null ? Optional.empty() : plans.planOf(key);
      if (plan.isEmpty()) {
        return new Refused(403, "Forbidden", "INVALID_API_KEY");
      }
      Refused limited = meter.admit(plan.get(), key);
      if (limited != null) {
        return limited;
      }
    }
    return new Passed(context);
  }

  private static Object invoke(Authorizer authorizer, Request request) {
    var event = new APIGatewayCustomAuthorizerEvent();
    event.setType("REQUEST");
    event.setMethodArn(request.methodArn());
    event.setResource(request.resourcePath());
    event.setPath(request.path());
    event.setHttpMethod(request.method());
    event.setHeaders(request.headers());
    event.setQueryStringParameters(request.query());
    event.setPathParameters(request.pathParameters());
    @SuppressWarnings("unchecked")
    var handler = (RequestHandler<APIGatewayCustomAuthorizerEvent, Object>) authorizer.handler();
    return handler.handleRequest(
        event, new LocalContext(authorizer.functionName(), authorizer.timeout()));
  }

  /** IAM evaluation of an authorizer's policy: an explicit deny wins, then an allow is needed. */
  private static Refused evaluate(JsonNode policy, String methodArn) {
    boolean allowed = false;
    for (JsonNode statement : policy.path("Statement")) {
      if (!matchesAny(statement.path("Action"), "execute-api:Invoke")
          || !matchesAny(statement.path("Resource"), methodArn)) {
        continue;
      }
      if ("Deny".equals(statement.path("Effect").asText())) {
        return new Refused(
            403,
            "User is not authorized to access this resource with an explicit deny",
            "ACCESS_DENIED");
      }
      allowed |= "Allow".equals(statement.path("Effect").asText());
    }
    return allowed
        ? null
        : new Refused(403, "User is not authorized to access this resource", "ACCESS_DENIED");
  }

  private static boolean matchesAny(JsonNode patterns, String value) {
    if (patterns.isTextual()) {
      return glob(patterns.asText(), value);
    }
    for (JsonNode p : patterns) {
      if (glob(p.asText(), value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean glob(String pattern, String value) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.matches(regex.toString(), value);
  }

  private static String header(Map<String, String> headers, String name) {
    if (headers == null) {
      return null;
    }
    for (var e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }
}
