package dev.xerosync.infra.lambda;

import dev.xerosync.infra.aws.CloudFormationTemplate;
import dev.xerosync.infra.aws.LocalAws;
import dev.xerosync.infra.aws.iam.EffectivePermissions;
import dev.xerosync.infra.aws.iam.IamEnforcement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The functions' execution roles on the local stack: their effective permissions as IAM evaluates
 * them ({@link FunctionRoles}, with ARNs as IAM sees them), the check Lambda makes when it creates
 * an SQS trigger, and the clients and lookups that sign and authorise as a role.
 */
final class LocalRoles {
  static final String REGION = "us-east-1";
  static final String ACCOUNT = "000000000000";

  private LocalRoles() {}

  /**
   * Every function's role. A secret's !Ref is its ARN here (the environment gets its name), and the
   * log group has an ARN.
   */
  static Map<String, EffectivePermissions> of(
      CloudFormationTemplate template,
      Map<String, String> parameters,
      Map<String, String> refs,
      Map<String, Map<String, String>> attributes,
      Map<String, String> secretArns) {
    LocalIntrinsics names = new LocalIntrinsics(parameters, refs, attributes);
    Map<String, String> iamRefs = new HashMap<>(refs);
    iamRefs.putAll(secretArns);
    Map<String, Map<String, String>> iamAttributes = new HashMap<>(attributes);
    template
        .tree()
        .path("Resources")
        .properties()
        .forEach(
            r -> {
              if (r.getValue().path("Type").asText().equals("AWS::Logs::LogGroup")) {
                String name = names.resolve(r.getValue().path("Properties").path("LogGroupName"));
                iamAttributes.put(
                    r.getKey(),
                    Map.of(
                        "Arn",
                        "arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:" + name + ":*"));
              }
            });
    return FunctionRoles.of(
        template.tree(), new LocalIntrinsics(parameters, iamRefs, iamAttributes), ACCOUNT);
  }

  /**
   * What Lambda checks when an SQS event source mapping is created: the function's execution role
   * may receive, delete and read the attributes of the queue's messages. CloudFormation rolls the
   * stack back otherwise, with this message.
   */
  static void checkEventSourceMapping(
      String functionId, EffectivePermissions role, String queueArn) {
    for (String action : List.of("ReceiveMessage", "DeleteMessage", "GetQueueAttributes")) {
      if (!role.allows("sqs:" + action, queueArn)) {
        throw new IllegalStateException(
            functionId
                + " event source mapping on "
                + queueArn
                + ": InvalidParameterValueException: The provided execution role does not have"
                + " permissions to call "
                + action
                + " on SQS");
      }
    }
  }

  /** An SQS client signing with a role's credentials, as Lambda's pollers use the function's. */
  static SqsClient sqsClient(LocalAws aws, IamEnforcement.Credentials credentials) {
    return SqsClient.builder()
        .endpointOverride(aws.sqsEndpoint())
        .region(LocalAws.region())
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    credentials.accessKeyId(), credentials.secretAccessKey())))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /**
   * A secret's ARN from the id a request names, as IAM authorises it; a secret that does not exist
   * yet (CreateSecret) gets a placeholder suffix, which only a wildcard grant matches.
   */
  static UnaryOperator<String> secretArns(LocalAws aws) {
    // Found ARNs only: a secret's ARN never changes, one not created yet is looked up again.
    Map<String, String> known = new java.util.concurrent.ConcurrentHashMap<>();
    return id -> {
      String arn = known.get(id);
      if (arn != null) {
        return arn;
      }
      try {
        arn = aws.secretsManager().describeSecret(r -> r.secretId(id)).arn();
        known.put(id, arn);
        return arn;
      } catch (ResourceNotFoundException e) {
        return id.startsWith("arn:")
            ? id
            : "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + id + "-??????";
      }
    };
  }
}
