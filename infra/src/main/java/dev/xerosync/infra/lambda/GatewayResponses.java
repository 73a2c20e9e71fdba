package dev.xerosync.infra.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The API's GatewayResponses (AWS::Serverless::Api): the headers API Gateway adds to a response it
 * makes itself (a refused credential, a missing route, throttling, a failed function), looked up by
 * response type and falling back to DEFAULT_4XX or DEFAULT_5XX as API Gateway does
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html).
 * A value is a quoted literal ({@code 'Origin'}) or a request header ({@code
 * method.request.header.origin}); a header the request lacks adds nothing.
 */
public final class GatewayResponses {
  private final Map<String, Map<String, String>> headersByType;

  private GatewayResponses(Map<String, Map<String, String>> headersByType) {
    this.headersByType = headersByType;
  }

  public static GatewayResponses none() {
    return new GatewayResponses(Map.of());
  }

  /** From the Api's GatewayResponses property (SAM form: ResponseParameters.Headers). */
  public static GatewayResponses from(JsonNode gatewayResponses) {
    Map<String, Map<String, String>> byType = new LinkedHashMap<>();
    gatewayResponses
        .properties()
        .forEach(
            t -> {
              Map<String, String> headers = new LinkedHashMap<>();
              t.getValue()
                  .path("ResponseParameters")
                  .path("Headers")
                  .properties()
                  .forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
              byType.put(t.getKey(), headers);
            });
    return new GatewayResponses(byType);
  }

  /**
   * The headers of a gateway response of {@code type} with {@code status}.
   *
   * @param requestHeader a request header's value by name (any case), or null
   */
  public Map<String, List<String>> headers(
      String type, int status, UnaryOperator<String> requestHeader) {
    Map<String, String> mapping = headersByType.get(type);
    if (mapping == null) {
      mapping = headersByType.getOrDefault(status >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX", Map.of());
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    mapping.forEach(
        (name, expression) -> {
          String value = value(expression, requestHeader);
          if (value != null) {
            out.put(name, List.of(value));
          }
        });
    return out;
  }

  private static String value(String expression, UnaryOperator<String> requestHeader) {
    if (expression.length() >= 2 && expression.startsWith("'") && expression.endsWith("'")) {
      return expression.substring(1, expression.length() - 1);
    }
    String prefix = "method.request.header.";
    if (expression.startsWith(prefix)) {
      String v = requestHeader.apply(expression.substring(prefix.length()));
      return v == null || v.isEmpty() ? null : v;
    }
    throw new IllegalArgumentException(
        "the local host cannot resolve the gateway response value " + expression);
  }
}
