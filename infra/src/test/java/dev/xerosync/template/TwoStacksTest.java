package dev.xerosync.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.aws.iam.EffectivePermissions;
import dev.xerosync.infra.aws.iam.IamPolicy;
import dev.xerosync.infra.lambda.FunctionRoles;
import dev.xerosync.infra.lambda.LocalIntrinsics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Two stacks of this template in one account and region (staging next to production, and one whose
 * name starts with the other's): no name either sets collides, and no function of one may touch a
 * resource of the other.
 */
class TwoStacksTest {
  private static final String REGION = "eu-west-1";
  private static final String ACCOUNT = "123456789012";
  private static final SamTemplate TEMPLATE = SamTemplate.load();
  private static final List<String> NAME_PROPERTIES =
      List.of(
          "Name",
          "LogGroupName",
          "UsagePlanName",
          "QueueName",
          "TableName",
          "TopicName",
          "FunctionName",
          "RoleName",
          "ManagedPolicyName",
          "AlarmName",
          "StageName");

  /** A deployed stack as IAM and CloudFormation see it: its names and its resources' ARNs. */
  private record Stack(String name, LocalIntrinsics intrinsics, Map<String, String> names) {
    static Stack of(String stackName) {
      Map<String, String> parameters = new HashMap<>();
      TEMPLATE
          .tree()
          .path("Parameters")
          .properties()
          .forEach(
              p ->
                  parameters.put(
                      p.getKey(), p.getValue().path("Default").asText("example-" + p.getKey())));
      Map<String, String> refs = new HashMap<>();
      Map<String, Map<String, String>> attributes = new HashMap<>();
      LocalIntrinsics names = new LocalIntrinsics(parameters, refs, attributes, stackName);
      TEMPLATE
          .tree()
          .path("Resources")
          .properties()
          .forEach(
              r -> {
                String id = r.getKey();
                JsonNode props = r.getValue().path("Properties");
                // CloudFormation names what the template leaves unnamed <stack>-<id>-<random>.
                String generated = stackName + "-" + id + "-1A2B3C4D";
                switch (r.getValue().path("Type").asText()) {
                  case "AWS::DynamoDB::Table" -> {
                    refs.put(id, generated);
                    attributes.put(id, Map.of("Arn", arn("dynamodb", "table/" + generated)));
                  }
                  case "AWS::SQS::Queue" -> {
                    String queue =
                        generated + (props.path("FifoQueue").asBoolean(false) ? ".fifo" : "");
                    refs.put(
                        id, "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/" + queue);
                    attributes.put(id, Map.of("Arn", arn("sqs", queue), "QueueName", queue));
                  }
                  case "AWS::SecretsManager::Secret" ->
                      refs.put(
                          id,
                          arn(
                              "secretsmanager",
                              "secret:" + names.resolve(props.path("Name")) + "-AbCdEf"));
                  case "AWS::Logs::LogGroup" ->
                      attributes.put(
                          id,
                          Map.of(
                              "Arn",
                              arn(
                                  "logs",
                                  "log-group:"
                                      + names.resolve(props.path("LogGroupName"))
                                      + ":*")));
                  default -> refs.put(id, generated);
                }
              });
      Map<String, String> physical = new HashMap<>();
      TEMPLATE
          .tree()
          .path("Resources")
          .properties()
          .forEach(
              r -> {
                JsonNode props = r.getValue().path("Properties");
                for (String property : NAME_PROPERTIES) {
                  // A !Ref names another resource; only names this resource sets count.
                  // A WebSocket API's stage name is its API's own, like a path: no other stack sees
                  // it.
                  boolean stageOfItsApi =
                      property.equals("StageName")
                          && r.getValue().path("Type").asText().equals("AWS::ApiGatewayV2::Stage");
                  if (props.has(property)
                      && !props.get(property).has("Ref")
                      && !stageOfItsApi
                      && !r.getValue().path("Type").asText().startsWith("AWS::Serverless::")) {
                    physical.put(r.getKey() + "." + property, names.resolve(props.get(property)));
                  }
                }
                if (r.getValue().path("Type").asText().equals("AWS::ApiGateway::ApiKey")) {
                  physical.put(r.getKey() + ".Value", names.resolve(props.path("Value")));
                }
              });
      // The API's name (AWS::Serverless::Api Name) and the secrets' prefixes every function uses.
      TEMPLATE
          .resourcesOfType("AWS::Serverless::Api")
          .forEach(
              a ->
                  physical.put(
                      a.getKey() + ".Name",
                      names.resolve(a.getValue().path("Properties").path("Name"))));
      TEMPLATE
          .tree()
          .path("Globals")
          .path("Function")
          .path("Environment")
          .path("Variables")
          .properties()
          .forEach(
              v -> {
                if (v.getKey().endsWith("_PREFIX") || v.getKey().endsWith("NAMESPACE")) {
                  physical.put("env." + v.getKey(), names.resolve(v.getValue()));
                }
              });
      return new Stack(stackName, names, physical);
    }

    /** Concrete ARNs of this stack's resources, including what the functions create at run time. */
    List<String> resourceArns() {
      List<String> arns = new ArrayList<>();
      TEMPLATE
          .tree()
          .path("Resources")
          .properties()
          .forEach(
              r -> {
                switch (r.getValue().path("Type").asText()) {
                  case "AWS::DynamoDB::Table" -> {
                    String table = intrinsics.resolve(getAtt(r.getKey()));
                    arns.add(table);
                    arns.add(table + "/index/ByTenant");
                  }
                  case "AWS::SQS::Queue", "AWS::Logs::LogGroup" ->
                      arns.add(intrinsics.resolve(getAtt(r.getKey())));
                  case "AWS::SecretsManager::Secret" ->
                      arns.add(
                          intrinsics.resolve(
                              com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                                  .objectNode()
                                  .put("Ref", r.getKey())));
                  default -> {}
                }
              });
      for (String variable : List.of("CONNECTION_SECRET_PREFIX", "CONNECT_FLOW_SECRET_PREFIX")) {
        arns.add(
            arn("secretsmanager", "secret:" + names.get("env." + variable) + "tenant-1-XyZ123"));
      }
      return arns;
    }
  }

  private static JsonNode getAtt(String id) {
    var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    return node.objectNode().set("Fn::GetAtt", node.arrayNode().add(id).add("Arn"));
  }

  private static String arn(String service, String resource) {
    return "arn:aws:" + service + ":" + REGION + ":" + ACCOUNT + ":" + resource;
  }

  @Test
  void noNameCollidesAndEachCarriesTheStackName() {
    for (List<String> pair :
        List.of(List.of("xero-sync", "xero-sync-staging"), List.of("prod", "staging"))) {
      Stack a = Stack.of(pair.get(0));
      Stack b = Stack.of(pair.get(1));
      assertThat(a.names()).isNotEmpty();
      a.names()
          .forEach(
              (what, name) -> {
                assertThat(name).as(what).contains(a.name());
                assertThat(b.names().get(what)).as(what + " of the other stack").isNotEqualTo(name);
              });
      Set<String> shared = new TreeSet<>(a.names().values());
      shared.retainAll(new TreeSet<>(b.names().values()));
      assertThat(shared).as("names both stacks set").isEmpty();
    }
  }

  @Test
  void noFunctionOfOneStackMayTouchTheOthersResources() {
    for (List<String> pair :
        List.of(
            List.of("xero-sync", "xero-sync-staging"), List.of("xero-sync-staging", "xero-sync"))) {
      Stack a = Stack.of(pair.get(0));
      Stack b = Stack.of(pair.get(1));
      Map<String, EffectivePermissions> roles =
          FunctionRoles.of(TEMPLATE.tree(), a.intrinsics(), ACCOUNT);
      List<String> reachable = new ArrayList<>();
      for (var role : roles.entrySet()) {
        // The boundary alone, statement by statement: a grant scoped to the stack names none of
        // B's.
        for (IamPolicy.Statement s : role.getValue().boundary().statements()) {
          for (String resource : b.resourceArns()) {
            for (String action : s.actions()) {
              String concrete = action.replace("*", "GetSecretValue");
              if (new IamPolicy("s", List.of(s)).decide(concrete, resource)
                  == IamPolicy.Decision.ALLOW) {
                reachable.add(role.getKey() + " boundary " + action + " on " + resource);
              }
            }
          }
        }
        for (IamPolicy p : role.getValue().identityPolicies()) {
          for (IamPolicy.Statement s : p.statements()) {
            for (String action : s.actions()) {
              for (String resource : b.resourceArns()) {
                if (role.getValue().allows(action, resource)) {
                  reachable.add(role.getKey() + " " + action + " on " + resource);
                }
              }
            }
          }
        }
      }
      assertThat(reachable).as(a.name() + " reaching into " + b.name()).isEmpty();
      assertThat(b.resourceArns()).hasSizeGreaterThan(10);
    }
  }
}
