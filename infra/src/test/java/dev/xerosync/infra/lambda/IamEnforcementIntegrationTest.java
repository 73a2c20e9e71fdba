package dev.xerosync.infra.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Each function's AWS clients carry that function's own credentials, and the local stack refuses
 * what its role (Policies, SAM's managed policies, the permissions boundary) does not allow, with
 * AWS's AccessDeniedException, wherever the call is made.
 */
class IamEnforcementIntegrationTest {
  private static LocalStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = LocalStack.start(LocalStack.Options.defaults());
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void everyFunctionSignsWithCredentialsOfItsOwn() {
    assertThat(stack.environmentVariables("WebhookFunction").get("AWS_ACCESS_KEY_ID"))
        .startsWith("ASIA")
        .isNotEqualTo(stack.environmentVariables("SyncWorkerFunction").get("AWS_ACCESS_KEY_ID"));
  }

  @Test
  void aCallTheRoleGrantsGoesThrough() {
    Environment webhook = stack.environment("WebhookFunction");
    try (var sqs = AwsClients.sqs(webhook)) {
      sqs.sendMessage(
          r ->
              r.queueUrl(webhook.required("SYNC_QUEUE_URL"))
                  .messageBody("{}")
                  .messageGroupId("iam-test")
                  .messageDeduplicationId("iam-test-1"));
    }
  }

  @Test
  void aCallNoPolicyGrantsFailsWithAccessDenied() {
    Environment webhook = stack.environment("WebhookFunction");
    String table = stack.aws().resources().tableName("Table");
    try (var dynamo = AwsClients.dynamoDb(webhook)) {
      assertThatThrownBy(
              () ->
                  dynamo.getItem(
                      r ->
                          r.tableName(table)
                              .key(
                                  Map.of(
                                      "pk", AttributeValue.fromS("x"),
                                      "sk", AttributeValue.fromS("y")))))
          .isInstanceOf(DynamoDbException.class)
          .satisfies(e -> assertAccessDenied(e, "dynamodb:GetItem", "identity-based policy"));
    }
    try (var sqs = AwsClients.sqs(webhook)) {
      assertThatThrownBy(
              () ->
                  sqs.sendMessage(
                      r ->
                          r.queueUrl(stack.aws().resources().queueUrl("WriteQueue"))
                              .messageBody("{}")
                              .messageGroupId("g")
                              .messageDeduplicationId("d")))
          .isInstanceOf(SqsException.class)
          .satisfies(e -> assertAccessDenied(e, "sqs:SendMessage", "identity-based policy"));
    }
    try (var secrets = AwsClients.secretsManager(webhook)) {
      assertThatThrownBy(
              () ->
                  secrets.getSecretValue(r -> r.secretId(webhook.required("APP_SECRET_ID") + "x")))
          .isInstanceOf(SecretsManagerException.class)
          .satisfies(
              e -> assertAccessDenied(e, "secretsmanager:GetSecretValue", "permissions boundary"));
    }
  }

  @Test
  void everySqsMappingOfTheTemplatePassedLambdasCreationCheck() {
    // The stack starts only when every mapping's role may poll its queue (Lambda's check at
    // creation); all five of the template's mappings are running.
    assertThat(stack.eventSources()).hasSize(5);
  }

  private static void assertAccessDenied(Throwable e, String action, String reason) {
    var error = (AwsServiceException) e;
    assertThat(error.statusCode()).isEqualTo(400);
    assertThat(error.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
    assertThat(error.awsErrorDetails().errorMessage())
        .contains("assumed-role/WebhookFunctionRole/WebhookFunction")
        .contains("is not authorized to perform: " + action)
        .contains(reason);
  }
}
