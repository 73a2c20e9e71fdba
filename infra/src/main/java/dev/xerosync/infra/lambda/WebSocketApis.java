package dev.xerosync.infra.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads template.yaml's WebSocket API (AWS::ApiGatewayV2::Api with ProtocolType WEBSOCKET, its
 * Stage, Routes and AWS_PROXY Integrations) and hosts it with {@link WebSocketApiHost}: !Ref of the
 * API is its id, !GetAtt Api.ApiEndpoint its ws:// URL, !Ref of the stage its name.
 */
final class WebSocketApis {
  private static final Pattern FUNCTION = Pattern.compile("\\$\\{(\\w+)\\.Arn\\}");
  private static final Pattern INTEGRATION = Pattern.compile("integrations/\\$\\{(\\w+)\\}");

  private WebSocketApis() {}

  static @Nullable WebSocketApiHost start(
      JsonNode template, Map<String, String> refs, Map<String, Map<String, String>> attributes)
      throws Exception {
    JsonNode resources = template.path("Resources");
    String apiLogicalId = null;
    for (var r : resources.properties()) {
      if (r.getValue().path("Type").asText().equals("AWS::ApiGatewayV2::Api")
          && r.getValue().path("Properties").path("ProtocolType").asText().equals("WEBSOCKET")) {
        apiLogicalId = r.getKey();
      }
    }
    if (apiLogicalId == null) {
      return null;
    }
    String stageId = null;
    String stage = null;
    for (var r : resources.properties()) {
      JsonNode props = r.getValue().path("Properties");
      if (r.getValue().path("Type").asText().equals("AWS::ApiGatewayV2::Stage")
          && props.path("ApiId").path("Ref").asText().equals(apiLogicalId)) {
        stageId = r.getKey();
        stage = props.path("StageName").asText();
      }
    }
    if (stage == null) {
      throw new IllegalArgumentException(apiLogicalId + " has no AWS::ApiGatewayV2::Stage");
    }
    String apiId = "ws" + Long.toHexString(System.nanoTime()).substring(0, 8);
    WebSocketApiHost host = WebSocketApiHost.start(apiId, stage);
    refs.put(apiLogicalId, apiId);
    attributes.put(apiLogicalId, Map.of("ApiEndpoint", host.apiEndpoint(), "ApiId", apiId));
    refs.put(stageId, stage);
    return host;
  }

  /** Points $connect and $disconnect at the handlers of their integrations' functions. */
  static void route(JsonNode template, WebSocketApiHost host, Map<String, Object> handlers) {
    JsonNode resources = template.path("Resources");
    Object connect = null;
    Object disconnect = null;
    for (var r : resources.properties()) {
      if (!r.getValue().path("Type").asText().equals("AWS::ApiGatewayV2::Route")) {
        continue;
      }
      JsonNode props = r.getValue().path("Properties");
      Matcher target = INTEGRATION.matcher(sub(props.path("Target")));
      if (!target.find()) {
        throw new IllegalArgumentException(r.getKey() + ": Target is not integrations/${...}");
      }
      JsonNode integration = resources.path(target.group(1)).path("Properties");
      Matcher fn = FUNCTION.matcher(sub(integration.path("IntegrationUri")));
      if (!integration.path("IntegrationType").asText().equals("AWS_PROXY") || !fn.find()) {
        throw new IllegalArgumentException(target.group(1) + ": not an AWS_PROXY to a function");
      }
      Object handler = handlers.get(fn.group(1));
      switch (props.path("RouteKey").asText()) {
        case "$connect" -> connect = handler;
        case "$disconnect" -> disconnect = handler;
        default ->
            throw new IllegalArgumentException(
                r.getKey() + ": the local host serves $connect and $disconnect only");
      }
    }
    host.routes(connect, disconnect);
  }

  private static String sub(JsonNode value) {
    JsonNode s = value.path("Fn::Sub");
    return s.isArray() ? s.get(0).asText() : s.isMissingNode() ? value.asText() : s.asText();
  }
}
