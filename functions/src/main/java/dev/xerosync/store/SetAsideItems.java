package dev.xerosync.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Items Xero sent that the store cannot hold (e.g. an amount past DynamoDB's 38 digits or its
 * range), put aside so they cost only themselves: one item per (tenant, kind, id) in the tenant's
 * own partition, purged with it, naming the reason and when it was last seen. It expires after
 * {@link #KEPT}; a later sync that stores the item does not remove it.
 */
public final class SetAsideItems {
  /** Long enough to be read after the alarm; a repeat of the same item refreshes it. */
  static final Duration KEPT = Duration.ofDays(30);

  private static final int MAX_REASON = 300;

  /** One item put aside. */
  public record SetAside(String kind, String id, String reason, Instant seenAt) {}

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public SetAsideItems(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  /**
   * Whether the store refused the item itself, so writing it again cannot help: DynamoDB's
   * ValidationException (a 400 that is no throttle and no condition), or an item that could not
   * even be encoded. Throttling, 5xx and client-side I/O errors are transient and say false.
   */
  public static boolean refusedByStore(RuntimeException e) {
    if (e instanceof DynamoDbException d) {
      String code = d.awsErrorDetails() == null ? null : d.awsErrorDetails().errorCode();
      return d.statusCode() == 400 && "ValidationException".equals(code);
    }
    if (e instanceof SdkClientException) {
      return false;
    }
    // Encoding an item (ItemCodec, the totals' arithmetic) fails the same way every time.
    return e instanceof IllegalArgumentException || e instanceof ArithmeticException;
  }

  /** Records the item as put aside; the reason must carry no secret (it is stored and read). */
  public void put(String tenantId, String kind, String id, String reason) {
    Instant now = clock.instant();
    Map<String, AttributeValue> item =
        Map.of(
            "pk", AttributeValue.fromS(pk(tenantId)),
            "sk", AttributeValue.fromS(kind + "#" + id),
            "kind", AttributeValue.fromS(kind),
            "itemId", AttributeValue.fromS(id),
            "reason", AttributeValue.fromS(clip(reason)),
            "seenAt", AttributeValue.fromS(now.toString()),
            "expiresAt", AttributeValue.fromN(Long.toString(now.plus(KEPT).getEpochSecond())));
    // Fenced, as the data it stands for: a sync in flight at a purge records nothing after it.
    TenantFence.put(
        dynamo, table, tenantId, r -> r.tableName(table).item(TenantItems.stamp(tenantId, item)));
  }

  /** The tenant's items put aside, oldest key first. */
  public List<SetAside> list(String tenantId) {
    List<SetAside> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse page =
          dynamo.query(
              r ->
                  r.tableName(table)
                      .keyConditionExpression("pk = :pk")
                      .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk(tenantId))))
                      .exclusiveStartKey(from));
      for (Map<String, AttributeValue> item : page.items()) {
        out.add(
            new SetAside(
                ItemCodec.requiredStr(item, "kind"),
                ItemCodec.requiredStr(item, "itemId"),
                ItemCodec.requiredStr(item, "reason"),
                Instant.parse(ItemCodec.requiredStr(item, "seenAt"))));
      }
      start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
    } while (start != null && !start.isEmpty());
    return out;
  }

  private static String pk(String tenantId) {
    return Keys.tenantPk(tenantId) + "#SETASIDE";
  }

  private static String clip(String reason) {
    String r = reason == null || reason.isBlank() ? "(no reason given)" : reason;
    return r.length() <= MAX_REASON ? r : r.substring(0, MAX_REASON) + "…";
  }
}
