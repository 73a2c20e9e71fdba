package dev.xerosync.panel;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.auth.PanelCors;
import dev.xerosync.auth.TenantCredential;
import dev.xerosync.common.ApiResponses;
import dev.xerosync.common.Guid;
import dev.xerosync.common.HttpCaching;
import dev.xerosync.common.Log;
import dev.xerosync.common.Problem;
import dev.xerosync.common.Requests;
import dev.xerosync.store.PanelGrants;
import dev.xerosync.tokens.TenantXero;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the handlers of the panel package share: one route table per handler, a problem for a
 * refusal and a 500 for a fault, each readable by the tenant's allowed origin (CORS on every answer
 * a browser can get), a cacheable answer with its ETag, the checks on ids in the path and on the
 * record a panel shows, the priming request, and Xero's refusals as problems.
 */
final class PanelRoutes {
  private static final Pattern RECORD_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
  private static final Set<String> RECORD_TYPES = Set.of("contact", "account", "deal");

  private PanelRoutes() {}

  /** One route's answer. */
  @FunctionalInterface
  interface Route {
    APIGatewayProxyResponseEvent answer(APIGatewayProxyRequestEvent event) throws Problem;
  }

  /** Runs the route {@code "METHOD /resource"} of {@code routes}; 404 for any other. */
  static APIGatewayProxyResponseEvent serve(
      Log log, PanelGrants grants, APIGatewayProxyRequestEvent event, Map<String, Route> routes) {
    String route = event.getHttpMethod() + " " + event.getResource();
    try {
      Route r = routes.get(route);
      if (r == null) {
        throw new Problem(
            404, "No such route", "There is no route " + route + "; see /openapi.yaml.");
      }
      return r.answer(event);
    } catch (Problem e) {
      return PanelCors.problem(grants, event, e);
    } catch (RuntimeException e) {
      log.error("panel request failed", e, "route", route);
      return PanelCors.problem(
          grants,
          event,
          new Problem(500, "Internal error", "The request could not be served; retry later."));
    }
  }

  /**
   * A GET of {@code route} ("GET /resource") as API Gateway hands it over, for a handler's prime():
   * the bearer token is one that cannot exist, so the request path runs and is refused.
   */
  static APIGatewayProxyRequestEvent priming(
      String route, String bearer, Map<String, String> path, TenantCredential credential) {
    return new APIGatewayProxyRequestEvent()
        .withHttpMethod("GET")
        .withResource(route.substring(4))
        .withHeaders(Map.of("Authorization", "Bearer " + bearer))
        .withPathParameters(path)
        .withRequestContext(credential.requestContext());
  }

  /** Refuses a query string on a route that takes none. */
  static void noQuery(APIGatewayProxyRequestEvent event) throws Problem {
    if (event.getQueryStringParameters() != null && !event.getQueryStringParameters().isEmpty()) {
      throw Problem.invalid("this route takes no query parameters");
    }
  }

  /**
   * One call to Xero with the tenant's token. A refresh token Xero no longer takes becomes {@code
   * reconnect}; a refusal from Xero becomes what {@code refused} makes of it.
   */
  static <T> T xero(
      TenantXero xero,
      String tenantId,
      TenantXero.Call<T> call,
      Problem reconnect,
      Function<XeroApiException, Problem> refused)
      throws Problem {
    try {
      return xero.call(tenantId, call);
    } catch (TokenRefreshException e) {
      throw reconnect;
    } catch (XeroApiException e) {
      throw refused.apply(e);
    }
  }

  /** A JSON answer for a browser: CORS for the tenant's allowed origin, never cached. */
  static APIGatewayProxyResponseEvent json(
      PanelGrants grants, APIGatewayProxyRequestEvent event, int status, JsonNode body) {
    Map<String, String> headers = new HashMap<>(PanelCors.headers(grants, event));
    headers.put("Cache-Control", HttpCaching.NO_STORE);
    return ApiResponses.json(status, body, headers);
  }

  /** A Xero id from the path or query, lower-cased: an upper-case spelling is the same id. */
  static String uuid(String name, @Nullable String value) throws Problem {
    // Canonical form only, as the query API: UUID.fromString also reads "+1234567-..." as a UUID.
    if (value != null && Guid.isCanonical(value)) {
      return Guid.canonical(value);
    }
    throw Problem.invalid(
        name + " must be a Xero id (a UUID), not '" + (value == null ? "" : truncate(value)) + "'");
  }

  /** A cacheable 200 with an ETag (304 on a match), readable by the tenant's allowed origin. */
  static APIGatewayProxyResponseEvent cacheable(
      PanelGrants grants,
      APIGatewayProxyRequestEvent event,
      String body,
      String contentType,
      String cacheControl,
      Map<String, String> extra) {
    Map<String, String> headers = new HashMap<>(extra);
    headers.putAll(PanelCors.headers(grants, event));
    return HttpCaching.ok(
        Requests.header(event, "If-None-Match"), body, contentType, cacheControl, headers);
  }

  static String recordType(@Nullable String value) throws Problem {
    if (value == null || !RECORD_TYPES.contains(value)) {
      throw Problem.invalid(
          "recordType must be contact, account or deal, not '"
              + (value == null ? "" : truncate(value))
              + "'");
    }
    return value;
  }

  static String recordId(@Nullable String value) throws Problem {
    if (value == null || !RECORD_ID.matcher(value).matches()) {
      throw Problem.invalid(
          "recordId must be 1 to 128 characters of letters, digits and . _ : @ -");
    }
    return value;
  }

  static String truncate(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }
}
