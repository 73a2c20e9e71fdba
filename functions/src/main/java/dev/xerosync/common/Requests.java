package dev.xerosync.common;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What handlers read from an API Gateway proxy event; header names match in any case. */
public final class Requests {
  private Requests() {}

  public static @Nullable String header(APIGatewayProxyRequestEvent request, String name) {
    return header(request.getHeaders(), name);
  }

  /**
   * HTTP header names are case-insensitive, and API Gateway passes them as the client sent them.
   */
  public static @Nullable String header(@Nullable Map<String, String> headers, String name) {
    if (headers == null) {
      return null;
    }
    for (var e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** The credential of an {@code Authorization: Bearer ...} header, or null. */
  public static @Nullable String bearer(APIGatewayProxyRequestEvent request) {
    return bearer(header(request, "Authorization"));
  }

  /** The credential of an Authorization header's value {@code Bearer ...}, or null. */
  public static @Nullable String bearer(@Nullable String authorization) {
    return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        ? authorization.substring(7).trim()
        : null;
  }

  public static @Nullable String query(APIGatewayProxyRequestEvent request, String name) {
    Map<String, String> q = request.getQueryStringParameters();
    String v = q == null ? null : q.get(name);
    return v == null || v.isBlank() ? null : v;
  }

  public static @Nullable String path(APIGatewayProxyRequestEvent request, String name) {
    Map<String, String> p = request.getPathParameters();
    return p == null ? null : p.get(name);
  }

  /**
   * A path parameter that names a Xero id (tenant, invoice, contact) or an operation: a GUID comes
   * back lower-cased ({@link Guid#canonical}), so an upper-case spelling is the same id; anything
   * else comes back as sent, for the handler's own check to refuse or use.
   */
  public static @Nullable String idPath(APIGatewayProxyRequestEvent request, String name) {
    String value = path(request, name);
    return value == null ? null : Guid.canonical(value);
  }

  /**
   * The JSON body, or an empty object when there is none or it is not JSON: the caller's checks of
   * the fields it needs then say what to send.
   */
  public static JsonNode jsonBody(APIGatewayProxyRequestEvent request) {
    try {
      JsonNode body = Json.MAPPER.readTree(request.getBody() == null ? "" : request.getBody());
      return body == null || body.isMissingNode() ? Json.MAPPER.createObjectNode() : body;
    } catch (IOException e) {
      return Json.MAPPER.createObjectNode();
    }
  }

  /** An application/x-www-form-urlencoded body (the pick-an-organisation form). */
  public static Map<String, String> form(APIGatewayProxyRequestEvent request) {
    String body = request.getBody();
    if (body != null && Boolean.TRUE.equals(request.getIsBase64Encoded())) {
      body = new String(java.util.Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
    }
    Map<String, String> form = new LinkedHashMap<>();
    if (body == null) {
      return form;
    }
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.putIfAbsent(k, v);
    }
    return form;
  }

  /**
   * This API's own base URL (with the stage), as the caller reached it: the redirect URI Xero sends
   * the browser back to, and the links in statuses and notifications.
   */
  public static String baseUrl(APIGatewayProxyRequestEvent request) {
    // From API Gateway's own request context, never from client headers (Host, X-Forwarded-*):
    // a client could otherwise point Xero's redirect, and the state it carries, at any host.
    var context = request.getRequestContext();
    String domain = context == null ? null : context.getDomainName();
    String stage = context == null ? null : context.getStage();
    if (domain == null || domain.isBlank()) {
      throw new IllegalStateException(
          "the request has no requestContext.domainName; set PUBLIC_API_URL");
    }
    // API Gateway serves https only; the local host (loopback) serves http.
    boolean local = domain.startsWith("127.0.0.1:") || domain.startsWith("localhost:");
    return (local ? "http" : "https") + "://" + domain + (stage == null ? "" : "/" + stage);
  }

  public static boolean wantsJson(APIGatewayProxyRequestEvent request) {
    String accept = header(request, "Accept");
    return accept != null && accept.contains("application/json") && !accept.contains("text/html");
  }
}
