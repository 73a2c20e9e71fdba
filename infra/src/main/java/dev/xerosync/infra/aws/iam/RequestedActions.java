package dev.xerosync.infra.aws.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerRequest;
import software.amazon.awssdk.services.sqs.model.SqsRequest;

/**
 * The permission checks IAM makes for one SDK request: each action with the ARN it is authorised
 * on. Batch and transaction requests are authorised per table and per item kind (DynamoDB) and as
 * their single-message action (SQS's SendMessageBatch is sqs:SendMessage):
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html and
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html
 */
public final class RequestedActions {
  /** One check: the IAM action and the resource ARN. */
  public record Check(String action, String arn) {}

  private final String region;
  private final String account;
  private final UnaryOperator<String> secretArn;

  /**
   * @param secretArn a secret's full ARN from the id a request names (name, full or partial ARN);
   *     for a secret that does not exist yet, the ARN it would have
   */
  public RequestedActions(String region, String account, UnaryOperator<String> secretArn) {
    this.region = region;
    this.account = account;
    this.secretArn = secretArn;
  }

  public List<Check> of(SdkRequest request, String operation) {
    List<Check> checks = new ArrayList<>();
    switch (request) {
      case BatchGetItemRequest b ->
          b.requestItems().keySet().forEach(t -> checks.add(dynamo("BatchGetItem", t)));
      case BatchWriteItemRequest b ->
          b.requestItems().keySet().forEach(t -> checks.add(dynamo("BatchWriteItem", t)));
      case TransactWriteItemsRequest t -> {
        for (TransactWriteItem item : t.transactItems()) {
          if (item.put() != null) {
            checks.add(dynamo("PutItem", item.put().tableName()));
          } else if (item.update() != null) {
            checks.add(dynamo("UpdateItem", item.update().tableName()));
          } else if (item.delete() != null) {
            checks.add(dynamo("DeleteItem", item.delete().tableName()));
          } else if (item.conditionCheck() != null) {
            checks.add(dynamo("ConditionCheckItem", item.conditionCheck().tableName()));
          }
        }
      }
      case TransactGetItemsRequest t -> {
        for (TransactGetItem item : t.transactItems()) {
          checks.add(dynamo("GetItem", item.get().tableName()));
        }
      }
      case DynamoDbRequest d -> {
        String table = d.getValueForField("TableName", String.class).orElse("*");
        String index = d.getValueForField("IndexName", String.class).orElse(null);
        checks.add(dynamo(operation, index == null ? table : table + "/index/" + index));
      }
      case SqsRequest s -> {
        String action =
            operation.endsWith("Batch")
                ? operation.substring(0, operation.length() - "Batch".length())
                : operation;
        String queue =
            s.getValueForField("QueueUrl", String.class)
                .map(url -> url.substring(url.lastIndexOf('/') + 1))
                .or(() -> s.getValueForField("QueueName", String.class))
                .orElse("*");
        checks.add(
            new Check("sqs:" + action, "arn:aws:sqs:" + region + ":" + account + ":" + queue));
      }
      case SecretsManagerRequest m -> {
        String id =
            m.getValueForField("SecretId", String.class)
                .or(() -> m.getValueForField("Name", String.class))
                .orElse(null);
        checks.add(
            new Check("secretsmanager:" + operation, id == null ? "*" : secretArn.apply(id)));
      }
      default ->
          throw new IllegalArgumentException(
              "the local IAM evaluation does not know the service of " + operation);
    }
    return checks;
  }

  private Check dynamo(String operation, String tableAndIndex) {
    return new Check(
        "dynamodb:" + operation,
        "arn:aws:dynamodb:" + region + ":" + account + ":table/" + tableAndIndex);
  }
}
