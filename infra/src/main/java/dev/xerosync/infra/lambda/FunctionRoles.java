package dev.xerosync.infra.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.aws.iam.AwsManagedPolicies;
import dev.xerosync.infra.aws.iam.EffectivePermissions;
import dev.xerosync.infra.aws.iam.IamPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The execution role SAM builds for each function of template.yaml, as IAM will evaluate it: the
 * AWS managed policies SAM attaches (the basic execution role always, the SQS execution role for a
 * function with an SQS event), the function's own {@code Policies} statements, and its permissions
 * boundary. SamTranslatorRolesTest holds this reading to the SAM translator's own output.
 */
public final class FunctionRoles {
  private FunctionRoles() {}

  /**
   * Every function's effective permissions, by logical id.
   *
   * @param template the template in long form
   * @param intrinsics resolves ARNs as IAM sees them (a secret's !Ref is its ARN)
   * @param account the account the role sessions belong to
   */
  public static Map<String, EffectivePermissions> of(
      JsonNode template, LocalIntrinsics intrinsics, String account) {
    JsonNode globals = template.path("Globals").path("Function");
    Map<String, EffectivePermissions> roles = new LinkedHashMap<>();
    template
        .path("Resources")
        .properties()
        .forEach(
            entry -> {
              JsonNode resource = entry.getValue();
              if (!resource.path("Type").asText().equals("AWS::Serverless::Function")) {
                return;
              }
              String id = entry.getKey();
              JsonNode props = resource.path("Properties");
              if (props.has("Role")) {
                throw new IllegalArgumentException(
                    id + ": the local IAM evaluation reads SAM-built roles only, not Role");
              }
              List<IamPolicy> policies = new ArrayList<>();
              for (String arn : managedPolicyArns(props)) {
                policies.add(AwsManagedPolicies.of(arn));
              }
              int n = 0;
              for (JsonNode policy : props.path("Policies")) {
                if (policy.isTextual()) {
                  policies.add(AwsManagedPolicies.of(policy.asText()));
                } else if (policy.has("Statement")) {
                  policies.add(policy(id + "Policy" + n++, policy, intrinsics));
                } else {
                  throw new IllegalArgumentException(
                      id
                          + ": the local IAM evaluation reads inline statements and AWS managed"
                          + " policy ARNs only, not "
                          + policy);
                }
              }
              JsonNode boundaryRef =
                  props.has("PermissionsBoundary")
                      ? props.get("PermissionsBoundary")
                      : globals.path("PermissionsBoundary");
              IamPolicy boundary = null;
              if (!boundaryRef.isMissingNode()) {
                String policyId = boundaryRef.path("Ref").asText(null);
                JsonNode managed =
                    template.path("Resources").path(policyId == null ? "" : policyId);
                if (!managed.path("Type").asText().equals("AWS::IAM::ManagedPolicy")) {
                  throw new IllegalArgumentException(
                      id
                          + ": PermissionsBoundary must be !Ref of a managed policy of the template");
                }
                boundary =
                    policy(policyId, managed.path("Properties").path("PolicyDocument"), intrinsics);
              }
              roles.put(
                  id,
                  new EffectivePermissions(
                      "arn:aws:sts::" + account + ":assumed-role/" + id + "Role/" + id,
                      policies,
                      boundary));
            });
    return roles;
  }

  /** The managed policies SAM attaches to a function's role, in the order SAM lists them. */
  public static List<String> managedPolicyArns(JsonNode functionProperties) {
    List<String> arns = new ArrayList<>(List.of(AwsManagedPolicies.BASIC_EXECUTION));
    boolean sqs = false;
    for (JsonNode event : functionProperties.path("Events")) {
      sqs |= event.path("Type").asText().equals("SQS");
    }
    if (sqs) {
      arns.add(AwsManagedPolicies.SQS_QUEUE_EXECUTION);
    }
    return arns;
  }

  /** One policy document of the template, its intrinsics resolved. */
  public static IamPolicy policy(String name, JsonNode document, LocalIntrinsics intrinsics) {
    List<IamPolicy.Statement> statements = new ArrayList<>();
    for (JsonNode s : document.path("Statement")) {
      List<String> keys = new ArrayList<>();
      s.fieldNames().forEachRemaining(keys::add);
      statements.add(
          IamPolicy.statement(
              s.path("Effect").asText(),
              texts(s.path("Action"), null),
              texts(s.path("Resource"), intrinsics),
              keys));
    }
    return new IamPolicy(name, statements);
  }

  private static List<String> texts(JsonNode node, LocalIntrinsics intrinsics) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : node.isArray() ? node : List.of(node)) {
      out.add(intrinsics == null ? n.asText() : intrinsics.resolve(n));
    }
    return out;
  }
}
