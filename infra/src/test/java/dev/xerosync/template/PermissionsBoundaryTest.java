package dev.xerosync.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.aws.iam.EffectivePermissions;
import dev.xerosync.infra.lambda.FunctionRoles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What CloudFormation and IAM will do with the functions' roles, checked without a stack: every
 * grant a function's Policies make survives the permissions boundary, and every SQS event source
 * mapping can be created (Lambda checks the role at creation and the stack rolls back otherwise).
 * The local stack enforces the same evaluation on every call (IamEnforcement); this test names
 * every gap at once.
 */
class PermissionsBoundaryTest {
  private static final SamTemplate TEMPLATE = SamTemplate.load();
  private static final Map<String, EffectivePermissions> ROLES =
      FunctionRoles.of(TEMPLATE.tree(), TEMPLATE.plausibleIntrinsics(), "123456789012");

  @Test
  void everyGrantOfAFunctionIsWithinThePermissionsBoundary() {
    List<String> cut = new ArrayList<>();
    for (var fn : TEMPLATE.functions()) {
      for (JsonNode policy : fn.property("Policies")) {
        for (JsonNode s : policy.path("Statement")) {
          for (JsonNode action : list(s.path("Action"))) {
            for (JsonNode resource : list(s.path("Resource"))) {
              String arn = TEMPLATE.resolved(resource);
              ROLES
                  .get(fn.id())
                  .denial(action.asText(), arn)
                  .ifPresent(reason -> cut.add(fn.id() + ": " + reason));
            }
          }
        }
      }
    }
    assertThat(cut).as("grants the permissions boundary takes away").isEmpty();
  }

  @Test
  void everySqsEventSourceMappingCanBeCreated() {
    List<String> refused = new ArrayList<>();
    for (var fn : TEMPLATE.functions()) {
      for (var event : fn.events()) {
        if (!event.type().equals("SQS")) {
          continue;
        }
        String queueArn = TEMPLATE.resolved(event.properties().path("Queue"));
        for (String action : List.of("ReceiveMessage", "DeleteMessage", "GetQueueAttributes")) {
          if (!ROLES.get(fn.id()).allows("sqs:" + action, queueArn)) {
            refused.add(
                fn.id()
                    + " "
                    + event.name()
                    + ": The provided execution role does not have permissions to call "
                    + action
                    + " on SQS");
          }
        }
      }
    }
    assertThat(refused).as("event source mappings Lambda refuses to create").isEmpty();
  }

  @Test
  void theBoundaryCoversEveryQueueOfTheStack() {
    // A queue added later is the stack's own too; leaving it out of the boundary is how the write
    // queues once made the first deploy roll back.
    List<String> queues = new ArrayList<>();
    TEMPLATE.resourcesOfType("AWS::SQS::Queue").forEach(q -> queues.add(q.getKey()));
    var role = ROLES.values().iterator().next();
    for (String queue : queues) {
      String arn =
          TEMPLATE.resolved(
              TEMPLATE.tree().path("Resources").path(queue).isMissingNode()
                  ? null
                  : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                      .objectNode()
                      .set(
                          "Fn::GetAtt",
                          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                              .arrayNode()
                              .add(queue)
                              .add("Arn")));
      assertThat(role.boundary().decide("sqs:ReceiveMessage", arn))
          .as(queue + " in the permissions boundary")
          .isEqualTo(dev.xerosync.infra.aws.iam.IamPolicy.Decision.ALLOW);
    }
  }

  private static Iterable<JsonNode> list(JsonNode node) {
    return node.isArray() ? node : List.of(node);
  }
}
