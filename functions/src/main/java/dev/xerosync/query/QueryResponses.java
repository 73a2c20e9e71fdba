package dev.xerosync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.ApiResponses;
import dev.xerosync.common.HttpCaching;
import dev.xerosync.common.Problem;
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
        Map.of("Vary", "x-api-key"));
  }

  /** The answer to a write, which no cache keeps. */
  static APIGatewayProxyResponseEvent written(int status, ObjectNode body) {
    return ApiResponses.json(status, body, Map.of("Cache-Control", HttpCaching.NO_STORE));
  }

  static APIGatewayProxyResponseEvent noSuchRoute(String route) {
    return problem(
        new Problem(
            404,
            "No such route",
            "There is no route " + route + "; see the API's OpenAPI document at /openapi.yaml."));
  }

  /** A refusal, which no cache keeps. */
  static APIGatewayProxyResponseEvent problem(Problem p) {
    return p.response(Map.of("Cache-Control", HttpCaching.NO_STORE));
  }
}
