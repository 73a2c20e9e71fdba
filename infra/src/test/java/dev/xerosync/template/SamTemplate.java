package dev.xerosync.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.aws.CloudFormationTemplate;
import dev.xerosync.infra.lambda.LocalIntrinsics;
import dev.xerosync.infra.lambda.SamApplication;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** template.yaml as SAM sees its functions: each function's properties over Globals.Function. */
final class SamTemplate {
  record Event(String name, String type, JsonNode properties) {}

  /**
   * A function as the local host reads it ({@link SamApplication}: handler, timeout and the merged
   * environment), plus its raw properties for what only these tests look at.
   */
  record Function(
      String id, JsonNode properties, JsonNode globals, SamApplication.FunctionSpec spec) {
    /**
     * The function's own value, else the Globals one (SAM's rule for scalar and map properties).
     */
    JsonNode property(String name) {
      JsonNode own = properties.path(name);
      return own.isMissingNode() ? globals.path(name) : own;
    }

    /** Globals variables overlaid with the function's own, as SAM merges Environment. */
    ObjectNode environment() {
      ObjectNode env = JsonNodeFactory.instance.objectNode();
      spec.environment().forEach(env::set);
      return env;
    }

    List<Event> events() {
      List<Event> events = new ArrayList<>();
      properties
          .path("Events")
          .properties()
          .forEach(
              e ->
                  events.add(
                      new Event(
                          e.getKey(),
                          e.getValue().path("Type").asText(),
                          e.getValue().path("Properties"))));
      return events;
    }

    int timeoutSeconds() {
      return (int) spec.timeout().toSeconds();
    }

    String handlerClass() {
      return spec.handlerClass();
    }
  }

  private final JsonNode tree;
  private final SamApplication application;

  private SamTemplate(JsonNode tree) {
    this.tree = tree;
    this.application = SamApplication.from(tree);
  }

  static SamTemplate load() {
    return new SamTemplate(CloudFormationTemplate.fromClasspath().tree());
  }

  JsonNode tree() {
    return tree;
  }

  List<Function> functions() {
    JsonNode globals = tree.path("Globals").path("Function");
    List<Function> functions = new ArrayList<>();
    for (var r : resourcesOfType("AWS::Serverless::Function")) {
      functions.add(
          new Function(
              r.getKey(),
              r.getValue().path("Properties"),
              globals.isMissingNode() ? MissingNode.getInstance() : globals,
              application.function(r.getKey()).orElseThrow()));
    }
    return functions;
  }

  Function function(String id) {
    return functions().stream()
        .filter(f -> f.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("template.yaml has no function " + id));
  }

  JsonNode resource(String logicalId) {
    JsonNode r = tree.path("Resources").path(logicalId);
    if (r.isMissingNode()) {
      throw new AssertionError("template.yaml has no resource " + logicalId);
    }
    return r;
  }

  List<Map.Entry<String, JsonNode>> resourcesOfType(String... types) {
    List<String> wanted = List.of(types);
    List<Map.Entry<String, JsonNode>> found = new ArrayList<>();
    tree.path("Resources")
        .properties()
        .forEach(
            e -> {
              if (wanted.contains(e.getValue().path("Type").asText())) {
                found.add(e);
              }
            });
    return found;
  }

  /** Whether the API an Api event attaches to requires keys unless the event says otherwise. */
  boolean apiKeyRequiredByDefault(JsonNode apiEventProperties) {
    String apiId = apiEventProperties.path("RestApiId").path("Ref").asText(null);
    JsonNode api =
        apiId == null ? tree.path("Globals").path("Api") : resource(apiId).path("Properties");
    return api.path("Auth").path("ApiKeyRequired").asBoolean(false);
  }

  /**
   * A function's environment with intrinsics resolved to plausible AWS values, for constructing its
   * handler.
   */
  Map<String, String> resolvedEnvironment(Function fn) {
    LocalIntrinsics intrinsics = plausibleIntrinsics();
    Map<String, String> env = new LinkedHashMap<>();
    fn.environment()
        .properties()
        .forEach(e -> env.put(e.getKey(), intrinsics.resolve(e.getValue())));
    return env;
  }

  /**
   * A template value (a secret's SecretString, say) resolved as {@link #resolvedEnvironment}
   * resolves variables.
   */
  String resolved(JsonNode value) {
    return plausibleIntrinsics().resolve(value);
  }

  LocalIntrinsics plausibleIntrinsics() {
    Map<String, String> parameters = new HashMap<>();
    tree.path("Parameters")
        .properties()
        .forEach(
            p ->
                parameters.put(
                    p.getKey(),
                    p.getValue().has("Default")
                        ? p.getValue().get("Default").asText()
                        : "example-" + p.getKey()));
    Map<String, String> refs = new HashMap<>();
    Map<String, Map<String, String>> attributes = new HashMap<>();
    tree.path("Resources")
        .properties()
        .forEach(
            r -> {
              String id = r.getKey();
              boolean queue = r.getValue().path("Type").asText().equals("AWS::SQS::Queue");
              refs.put(id, queue ? "https://sqs.eu-west-1.amazonaws.com/123456789012/" + id : id);
              attributes.put(
                  id,
                  Map.of(
                      "Arn",
                      "arn:aws:service:eu-west-1:123456789012:" + id,
                      "QueueName",
                      id,
                      "Name",
                      id,
                      "ApiEndpoint",
                      "wss://" + id + ".execute-api.eu-west-1.amazonaws.com"));
            });
    return new LocalIntrinsics(parameters, refs, attributes);
  }
}
