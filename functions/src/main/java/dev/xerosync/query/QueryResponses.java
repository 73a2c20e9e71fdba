package dev.xerosync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.ApiResponses;
import java.util.HashMap;
import java.util.Map;

/** The query API's answers and how caches may keep them. */
final class QueryResponses {
  private QueryResponses() {}

  /** A read: private to the caller, revalidated by ETag. */
  static APIGatewayProxyResponseEvent ok(ApiRequest req, ObjectNode body) {
    return HttpCaching.ok(
        req.header("If-None-Match"),
        body.toString(),
        "application/json",
        HttpCaching.PRIVATE_REVALIDATE,
        "x-api-key");
  }

  /** The answer to a write, which no cache keeps. */
  static APIGatewayProxyResponseEvent written(int status, ObjectNode body) {
    return ApiResponses.json(status, body, Map.of("Cache-Control", HttpCaching.NO_STORE));
  }

  static APIGatewayProxyResponseEvent noSuchRoute(String route) {
    return problem(
        404,
        "No such route",
        "There is no route " + route + "; see the API's OpenAPI document at /openapi.yaml.");
  }

  static APIGatewayProxyResponseEvent problem(int status, String title, String detail) {
    APIGatewayProxyResponseEvent response = ApiResponses.problem(status, title, detail);
    Map<String, String> headers = new HashMap<>(response.getHeaders());
    headers.put("Cache-Control", HttpCaching.NO_STORE);
    return response.withHeaders(headers);
  }
}
