package dev.xerosync.common;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Map;

/** API Gateway proxy responses: JSON bodies, and errors as RFC 9457 problem details. */
public final class ApiResponses {
  /**
   * Sent with every typed body (JSON, problems), so that no browser reads an answer as another type
   * than it says (OWASP's secure headers).
   */
  public static final String NOSNIFF = "X-Content-Type-Options";

  private ApiResponses() {}

  public static APIGatewayProxyResponseEvent json(int status, Object body) {
    return json(status, body, Map.of());
  }

  public static APIGatewayProxyResponseEvent json(
      int status, Object body, Map<String, String> extraHeaders) {
    try {
      var headers = new java.util.HashMap<>(extraHeaders);
      headers.put("Content-Type", "application/json");
      headers.put(NOSNIFF, "nosniff");
      return new APIGatewayProxyResponseEvent()
          .withStatusCode(status)
          .withHeaders(headers)
          .withBody(Json.MAPPER.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("response body could not be serialised", e);
    }
  }

  public static APIGatewayProxyResponseEvent empty(int status) {
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(status)
        .withHeaders(Map.of())
        .withBody("");
  }

  /** A problem whose detail says what is wrong and how to fix it ({@link Problem}). */
  public static APIGatewayProxyResponseEvent problem(int status, String title, String detail) {
    return new Problem(status, title, detail).response();
  }
}
