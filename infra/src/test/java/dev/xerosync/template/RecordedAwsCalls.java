package dev.xerosync.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerRequest;
import software.amazon.awssdk.services.sqs.model.SqsRequest;

/**
 * Records the AWS calls a function makes, as the IAM action each needs and the resource it names.
 * The SDK loads it into every client from
 * software/amazon/awssdk/global/handlers/execution.interceptors on the test classpath, so the
 * functions' own AwsClients are recorded unchanged. Only calls made inside {@link #as} on the same
 * thread are recorded (sync clients call interceptors on the caller's thread).
 */
public final class RecordedAwsCalls implements ExecutionInterceptor {
  /**
   * One permission check IAM makes: the action, and the resource in our own terms (table/..., queue
   * URL, secret name).
   */
  public record Call(String action, String resource) {}

  // Inherited: a function that works on threads of its own (the sync worker runs a batch's tenants
  // side by side) still has their calls attributed to it.
  private static final ThreadLocal<String> FUNCTION = new InheritableThreadLocal<>();
  private static final Map<String, List<Call>> CALLS = new ConcurrentHashMap<>();

  /** Runs {@code invocation} as the function {@code logicalId}, recording its AWS calls. */
  public static <T> T as(String logicalId, Supplier<T> invocation) {
    String outer = FUNCTION.get();
    FUNCTION.set(logicalId);
    try {
      return invocation.get();
    } finally {
      // Nested (a handler built inside an invocation): the outer function records again.
      if (outer == null) {
        FUNCTION.remove();
      } else {
        FUNCTION.set(outer);
      }
    }
  }

  /**
   * A call the SDK did not make (API Gateway's management API, which the functions sign
   * themselves): its stand-in saw it signed with {@code logicalId}'s credentials.
   */
  public static void add(String logicalId, Call call) {
    CALLS
        .computeIfAbsent(logicalId, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
        .add(call);
  }

  public static List<Call> of(String logicalId) {
    return List.copyOf(CALLS.getOrDefault(logicalId, List.of()));
  }

  // After signing, so that the calls the stack makes with its own credentials while a function
  // runs (IAM's lookups of a secret's ARN) are told apart from the function's.
  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    String function = FUNCTION.get();
    String stackKey =
        "Credential="
            + dev.xerosync.infra.aws.LocalAws.credentials().resolveCredentials().accessKeyId()
            + "/";
    if (function == null
        || context
            .httpRequest()
            .firstMatchingHeader("Authorization")
            .orElse("")
            .contains(stackKey)) {
      return;
    }
    List<Call> calls =
        CALLS.computeIfAbsent(
            function, k -> java.util.Collections.synchronizedList(new ArrayList<>()));
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    SdkRequest request = context.request();
    switch (request) {
      case software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest b ->
          b.requestItems()
              .keySet()
              .forEach(table -> calls.add(new Call("dynamodb:BatchGetItem", "table/" + table)));
      case software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest b ->
          b.requestItems()
              .keySet()
              .forEach(table -> calls.add(new Call("dynamodb:BatchWriteItem", "table/" + table)));
      case TransactWriteItemsRequest t -> {
        // IAM authorises each item of a transaction by its own action.
        for (TransactWriteItem item : t.transactItems()) {
          if (item.put() != null) {
            calls.add(new Call("dynamodb:PutItem", "table/" + item.put().tableName()));
          } else if (item.update() != null) {
            calls.add(new Call("dynamodb:UpdateItem", "table/" + item.update().tableName()));
          } else if (item.delete() != null) {
            calls.add(new Call("dynamodb:DeleteItem", "table/" + item.delete().tableName()));
          } else if (item.conditionCheck() != null) {
            calls.add(
                new Call(
                    "dynamodb:ConditionCheckItem", "table/" + item.conditionCheck().tableName()));
          }
        }
      }
      case DynamoDbRequest d -> {
        String table = d.getValueForField("TableName", String.class).orElse("?");
        String index = d.getValueForField("IndexName", String.class).orElse(null);
        calls.add(
            new Call(
                "dynamodb:" + operation,
                "table/" + table + (index == null ? "" : "/index/" + index)));
      }
      case SqsRequest s -> {
        // SendMessageBatch is authorised as sqs:SendMessage (and DeleteMessageBatch as
        // sqs:DeleteMessage, and so on).
        String action =
            operation.endsWith("Batch")
                ? operation.substring(0, operation.length() - "Batch".length())
                : operation;
        calls.add(
            new Call("sqs:" + action, s.getValueForField("QueueUrl", String.class).orElse("?")));
      }
      case SecretsManagerRequest m ->
          calls.add(
              new Call(
                  "secretsmanager:" + operation,
                  m.getValueForField("SecretId", String.class)
                      .or(() -> m.getValueForField("Name", String.class))
                      .orElse("?")));
      default -> calls.add(new Call(request.getClass().getName() + ":" + operation, "?"));
    }
  }
}
