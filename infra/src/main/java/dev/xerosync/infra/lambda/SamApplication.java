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
  public record ApiEvent(String method, String path) {}

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

  private SamApplication(List<FunctionSpec> functions, String stageName) {
    this.functions = List.copyOf(functions);
    this.stageName = stageName;
  }

  /**
   * Reads a template whose intrinsic functions are in long form ({"Ref": ...}, {"Fn::GetAtt":
   * [...]}).
   */
  public static SamApplication from(JsonNode template) {
    JsonNode globals = template.path("Globals").path("Function");
    List<FunctionSpec> functions = new ArrayList<>();
    String stage = "Prod";
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
          case "Api" ->
              api.add(
                  new ApiEvent(
                      p.path("Method").asText().toUpperCase(java.util.Locale.ROOT),
                      p.path("Path").asText()));
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
    return new SamApplication(functions, stage);
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
