package dev.xerosync.auth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.xerosync.common.HttpCaching;
import dev.xerosync.common.Problem;
import dev.xerosync.common.Requests;
import dev.xerosync.store.PanelGrants;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * CORS answers of the routes the embedded components call: the calling origin, when the tenant
 * allows it (its panel origins). Every answer a browser can get carries them, errors included, so
 * the component reads the status instead of a network error.
 */
public final class PanelCors {
  private PanelCors() {}

  /** A refusal, readable by the calling origin when the tenant allows it; never cached. */
  public static APIGatewayProxyResponseEvent problem(
      PanelGrants grants, APIGatewayProxyRequestEvent event, Problem p) {
    Map<String, String> headers = new HashMap<>(headers(grants, event));
    headers.put("Cache-Control", HttpCaching.NO_STORE);
    return p.response(headers);
  }

  /** A response with CORS headers added for a tenant's allowed origin (none otherwise). */
  public static APIGatewayProxyResponseEvent withHeaders(
      PanelGrants grants, APIGatewayProxyRequestEvent event, APIGatewayProxyResponseEvent r) {
    Map<String, String> cors = headers(grants, event);
    if (cors.isEmpty()) {
      return r;
    }
    Map<String, String> headers = new HashMap<>(r.getHeaders() == null ? Map.of() : r.getHeaders());
    headers.putAll(cors);
    return r.withHeaders(headers);
  }

  /** CORS headers for a tenant's allowed origin on a tenant route; none otherwise. */
  public static Map<String, String> headers(PanelGrants grants, APIGatewayProxyRequestEvent event) {
    String origin = Requests.header(event, "Origin");
    String tenantId = Requests.path(event, "tenantId");
    if (origin == null || tenantId == null || tenantId.length() != 36) {
      return Map.of();
    }
    try {
      return grants.origins(UUID.fromString(tenantId).toString()).contains(origin)
          ? Map.of(
              "Access-Control-Allow-Origin", origin,
              "Access-Control-Expose-Headers", "ETag",
              "Vary", "Origin")
          : Map.of();
    } catch (IllegalArgumentException e) {
      return Map.of();
    }
  }
}
