package dev.xerosync.store;

import dev.xerosync.common.Log;
import dev.xerosync.common.Problem;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The condition every write of a tenant's data carries: its connection is not DISCONNECTED. A
 * disconnect sets that status before it purges, so a write still in flight or queued at the purge
 * fails this check inside its own transaction and is dropped, instead of landing after the purge.
 * (DynamoDB evaluates a ConditionCheck atomically with the transaction's writes; a plain condition
 * can only see the item it writes.) A tenant with no connection item (tests, priming) is not
 * fenced.
 */
final class TenantFence {
  private static final Log LOG = Log.of(TenantFence.class);

  /** Attempts at a fenced put that keeps meeting a concurrent write of the connection item. */
  private static final int MAX_ATTEMPTS = 5;

  private TenantFence() {}

  /** The answer to a write the fence dropped at the caller's request: 409, nothing written. */
  static Problem disconnected() {
    return new Problem(
        409,
        "Tenant disconnected",
        "This Xero organisation is disconnected, so nothing is written for it. Reconnect it first.");
  }

  /** The check, placed first in the transaction so {@link #tripped} finds its reason at 0. */
  static TransactWriteItem check(String table, String tenantId) {
    return TransactWriteItem.builder()
        .conditionCheck(
            c ->
                c.tableName(table)
                    .key(Keys.key(Keys.tenantPk(tenantId), Keys.CONNECTION_SK))
                    .conditionExpression("attribute_not_exists(pk) OR #status <> :disconnected")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(
                        Map.of(
                            ":disconnected",
                            AttributeValue.fromS(ConnectionStatus.DISCONNECTED.name()))))
        .build();
  }

  /** Whether the transaction was cancelled by the fence (its first action) and logs the drop. */
  static boolean tripped(TransactionCanceledException e, String tenantId, String what) {
    List<CancellationReason> reasons = e.cancellationReasons();
    if (reasons.isEmpty() || !"ConditionalCheckFailed".equals(reasons.getFirst().code())) {
      return false;
    }
    LOG.warn("write dropped: tenant disconnected", "tenantId", tenantId, "item", what);
    return true;
  }

  /**
   * Puts the item built by {@code put} unless the tenant is disconnected; false if dropped. The
   * put's own condition failing throws {@link ConditionalCheckFailedException}, as a PutItem would.
   */
  static boolean put(
      DynamoDbClient dynamo, String table, String tenantId, Consumer<Put.Builder> put) {
    Put built = Put.builder().applyMutation(put).build();
    return write(
        dynamo,
        table,
        tenantId,
        TransactWriteItem.builder().put(built).build(),
        ItemCodec.requiredStr(built.item(), Keys.SK));
  }

  /**
   * Updates the item as {@code update} says unless the tenant is disconnected; false if dropped.
   * The update's own condition failing throws {@link ConditionalCheckFailedException}, as an
   * UpdateItem would.
   */
  static boolean update(
      DynamoDbClient dynamo, String table, String tenantId, Consumer<Update.Builder> update) {
    Update built = Update.builder().applyMutation(update).build();
    return write(
        dynamo,
        table,
        tenantId,
        TransactWriteItem.builder().update(built).build(),
        ItemCodec.requiredStr(built.key(), Keys.SK));
  }

  private static boolean write(
      DynamoDbClient dynamo, String table, String tenantId, TransactWriteItem write, String what) {
    var writes = List.of(check(table, tenantId), write);
    for (int attempt = 1; ; attempt++) {
      try {
        dynamo.transactWriteItems(r -> r.transactItems(writes));
        return true;
      } catch (TransactionCanceledException e) {
        if (tripped(e, tenantId, what)) {
          return false;
        }
        List<CancellationReason> reasons = e.cancellationReasons();
        if (reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code())) {
          throw ConditionalCheckFailedException.builder()
              .message("The conditional request failed")
              .build();
        }
        boolean conflict = reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
        if (!conflict || attempt == MAX_ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
