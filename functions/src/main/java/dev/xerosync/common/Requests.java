package dev.xerosync.common;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the connect handlers read from an API Gateway proxy event; header names match in any case.
 */
public final class Requests {
  private Requests() {}

  public static String header(APIGatewayProxyRequestEvent request, String name) {
    Map<String, String> headers = request.getHeaders();
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

  public static String query(APIGatewayProxyRequestEvent request, String name) {
    Map<String, String> q = request.getQueryStringParameters();
    String v = q == null ? null : q.get(name);
    return v == null || v.isBlank() ? null : v;
  }

  public static String path(APIGatewayProxyRequestEvent request, String name) {
    Map<String, String> p = request.getPathParameters();
    return p == null ? null : p.get(name);
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
    String host = header(request, "Host");
    String proto = header(request, "X-Forwarded-Proto");
    String stage =
        request.getRequestContext() == null ? null : request.getRequestContext().getStage();
    return (proto == null ? "http" : proto) + "://" + host + (stage == null ? "" : "/" + stage);
  }

  public static boolean wantsJson(APIGatewayProxyRequestEvent request) {
    String accept = header(request, "Accept");
    return accept != null && accept.contains("application/json") && !accept.contains("text/html");
  }
}
