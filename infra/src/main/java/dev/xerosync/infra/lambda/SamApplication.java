package dev.xerosync.infra.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The functions of template.yaml as the local host needs them: handler class, timeout, environment
 * (Globals merged, intrinsics left for the caller to resolve), and API, SQS and schedule events.
 */
public final class SamApplication {
  /**
   * One API event: its route, the authorizer API Gateway runs first (null: none), and whether a
   * usage-plan key must come with it.
   */
  public record ApiEvent(String method, String path, String authorizer, boolean apiKeyRequired) {}

  /**
   * A Lambda REQUEST authorizer of the API: the function it runs, the identity sources that must
   * all be present (and key its cache), and how long a result is cached (0: not cached).
   */
  public record AuthorizerSpec(
      String name,
      String functionLogicalId,
      List<String> identityHeaders,
      List<String> identityQueryStrings,
      int ttlSeconds) {}

  /**
   * The API's auth rules: where API keys come from (HEADER or AUTHORIZER) and its authorizers. Its
   * usage plans and keys are resources of their own (LocalStack creates them).
   */
  public record ApiAuth(String apiKeySourceType, Map<String, AuthorizerSpec> authorizers) {}

  public record SqsEvent(
      String queueLogicalId,
      int batchSize,
      boolean reportBatchItemFailures,
      Integer maximumConcurrency) {}

  public record ScheduleEvent(String name, String expression) {}

  public record FunctionSpec(
      String logicalId,
      String handlerClass,
      Duration timeout,
      Map<String, JsonNode> environment,
      List<ApiEvent> apiEvents,
      List<SqsEvent> sqsEvents,
      List<ScheduleEvent> schedules) {}

  private final List<FunctionSpec> functions;
  private final String stageName;
  private final ApiAuth apiAuth;
  private final JsonNode gatewayResponses;

  private SamApplication(
      List<FunctionSpec> functions, String stageName, ApiAuth apiAuth, JsonNode gatewayResponses) {
    this.gatewayResponses = gatewayResponses;
    this.functions = List.copyOf(functions);
    this.stageName = stageName;
    this.apiAuth = apiAuth;
  }

  /**
   * Reads a template whose intrinsic functions are in long form ({"Ref": ...}, {"Fn::GetAtt":
   * [...]}).
   */
  public static SamApplication from(JsonNode template) {
    JsonNode globals = template.path("Globals").path("Function");
    List<FunctionSpec> functions = new ArrayList<>();
    String stage = "Prod";
    JsonNode apiAuth = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    String keySource = "HEADER";
    JsonNode gatewayResponses = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    for (var entry : iterable(template.path("Resources"))) {
      if (entry.getValue().path("Type").asText().equals("AWS::Serverless::Api")) {
        gatewayResponses = entry.getValue().path("Properties").path("GatewayResponses");
        apiAuth = entry.getValue().path("Properties").path("Auth");
        keySource = entry.getValue().path("Properties").path("ApiKeySourceType").asText("HEADER");
      }
    }
    boolean keyByDefault = apiAuth.path("ApiKeyRequired").asBoolean(false);
    String defaultAuthorizer = apiAuth.path("DefaultAuthorizer").asText(null);
    for (var entry : iterable(template.path("Resources"))) {
      JsonNode resource = entry.getValue();
      String type = resource.path("Type").asText();
      JsonNode props = resource.path("Properties");
      if (type.equals("AWS::Serverless::Api") && props.hasNonNull("StageName")) {
        stage = props.get("StageName").asText();
      }
      if (!type.equals("AWS::Serverless::Function")) {
        continue;
      }
      String handler = props.path("Handler").asText(globals.path("Handler").asText(null));
      if (handler == null) {
        throw new IllegalArgumentException("function " + entry.getKey() + " has no Handler");
      }
      int timeout = props.path("Timeout").asInt(globals.path("Timeout").asInt(3));
      Map<String, JsonNode> env = new LinkedHashMap<>();
      iterable(globals.path("Environment").path("Variables"))
          .forEach(e -> env.put(e.getKey(), e.getValue()));
      iterable(props.path("Environment").path("Variables"))
          .forEach(e -> env.put(e.getKey(), e.getValue()));
      List<ApiEvent> api = new ArrayList<>();
      List<SqsEvent> sqs = new ArrayList<>();
      List<ScheduleEvent> schedules = new ArrayList<>();
      for (var ev : iterable(props.path("Events"))) {
        JsonNode p = ev.getValue().path("Properties");
        switch (ev.getValue().path("Type").asText()) {
          case "Api" -> {
            JsonNode auth = p.path("Auth");
            String authorizer = auth.path("Authorizer").asText(defaultAuthorizer);
            api.add(
                new ApiEvent(
                    p.path("Method").asText().toUpperCase(java.util.Locale.ROOT),
                    p.path("Path").asText(),
                    "NONE".equals(authorizer) ? null : authorizer,
                    auth.path("ApiKeyRequired").asBoolean(keyByDefault)));
          }
          case "SQS" ->
              sqs.add(
                  new SqsEvent(
                      getAttTarget(p.path("Queue")),
                      p.path("BatchSize").asInt(10),
                      containsText(p.path("FunctionResponseTypes"), "ReportBatchItemFailures"),
                      p.path("ScalingConfig").hasNonNull("MaximumConcurrency")
                          ? p.path("ScalingConfig").path("MaximumConcurrency").asInt()
                          : null));
          case "Schedule", "ScheduleV2" ->
              schedules.add(
                  new ScheduleEvent(
                      ev.getKey(),
                      p.path("Schedule").asText(p.path("ScheduleExpression").asText())));
          default ->
              throw new IllegalArgumentException(
                  "function "
                      + entry.getKey()
                      + " has an event type the local host cannot run: "
                      + ev.getValue().path("Type").asText());
        }
      }
      functions.add(
          new FunctionSpec(
              entry.getKey(),
              handler.split("::")[0],
              Duration.ofSeconds(timeout),
              env,
              api,
              sqs,
              schedules));
    }
    Map<String, AuthorizerSpec> authorizers = new LinkedHashMap<>();
    for (var a : iterable(apiAuth.path("Authorizers"))) {
      JsonNode spec = a.getValue();
      if (!spec.path("FunctionPayloadType").asText("TOKEN").equals("REQUEST")) {
        throw new IllegalArgumentException(
            "authorizer " + a.getKey() + ": the local host runs REQUEST authorizers only");
      }
      List<String> headers = new ArrayList<>();
      spec.path("Identity").path("Headers").forEach(h -> headers.add(h.asText()));
      List<String> queries = new ArrayList<>();
      spec.path("Identity").path("QueryStrings").forEach(q -> queries.add(q.asText()));
      authorizers.put(
          a.getKey(),
          new AuthorizerSpec(
              a.getKey(),
              functionTarget(spec.path("FunctionArn")),
              List.copyOf(headers),
              List.copyOf(queries),
              // SAM's default result TTL is 300 s.
              spec.path("Identity").path("ReauthorizeEvery").asInt(300)));
    }
    return new SamApplication(
        functions, stage, new ApiAuth(keySource, authorizers), gatewayResponses);
  }

  /** The API's GatewayResponses (missing when it sets none). */
  public JsonNode gatewayResponses() {
    return gatewayResponses;
  }

  public ApiAuth apiAuth() {
    return apiAuth;
  }

  /** The function of {@code !GetAtt Fn.Arn} or {@code !Ref Fn.Alias}. */
  private static String functionTarget(JsonNode arn) {
    if (arn.has("Ref")) {
      return arn.get("Ref").asText().split("\\.")[0];
    }
    return getAttTarget(arn);
  }

  public List<FunctionSpec> functions() {
    return functions;
  }

  public Optional<FunctionSpec> function(String logicalId) {
    return functions.stream().filter(f -> f.logicalId().equals(logicalId)).findFirst();
  }

  public String stageName() {
    return stageName;
  }

  private static String getAttTarget(JsonNode getAtt) {
    JsonNode args = getAtt.path("Fn::GetAtt");
    if (args.isArray() && !args.isEmpty()) {
      return args.get(0).asText();
    }
    if (args.isTextual()) {
      return args.asText().split("\\.")[0];
    }
    throw new IllegalArgumentException(
        "SQS event Queue must be !GetAtt <Queue>.Arn, found " + getAtt);
  }

  private static boolean containsText(JsonNode array, String value) {
    for (JsonNode n : array) {
      if (value.equals(n.asText())) {
        return true;
      }
    }
    return false;
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
    return node instanceof ObjectNode o ? o.properties() : List.of();
  }
}
