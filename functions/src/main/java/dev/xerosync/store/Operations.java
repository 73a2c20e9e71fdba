package dev.xerosync.store;

import dev.xerosync.common.Log;
import dev.xerosync.common.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The write-back outbox. An operation is one item holding its JSON document (the outbox owns its
 * shape), its state and a version; every change is a conditional put on the version, so two workers
 * can never both move one operation. Our API's Idempotency-Key is an item of its own, written in
 * the same transaction as the operation it names, and kept 24 hours. External links map the
 * product's ids to Xero's; the accounting set-up and the cached reference data are per-tenant
 * documents.
 */
public final class Operations {
  private static final Log LOG = Log.of(Operations.class);

  /** How long a finished operation stays readable through GET /operations/{id}. */
  static final Duration OPERATION_RETENTION = Duration.ofDays(90);

  private final DynamoDbClient dynamo;
  private final String table;

  public Operations(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /** An operation's stored document and version. */
  public record Stored(String document, String state, long version) {}

  /** The operation an Idempotency-Key already names, and the hash of the body it was sent with. */
  public record KeyUse(String operationId, String bodyHash, Instant expiresAt) {}

  /**
   * Records a new operation, and with it the Idempotency-Key when one is given. Returns empty when
   * recorded, or the key's earlier use when the key is taken (nothing is written then). Fenced
   * ({@link TenantFence}): for a disconnected tenant nothing is written and the caller gets a 409,
   * so a write accepted in the moments its key outlives a purge leaves nothing behind.
   */
  public Optional<KeyUse> create(
      String tenantId,
      String operationId,
      String state,
      String document,
      Instant now,
      @Nullable String keyHash,
      @Nullable String bodyHash,
      Instant keyExpiresAt)
      throws Problem {
    Map<String, AttributeValue> op = operationItem(tenantId, operationId, state, document, 1, now);
    if (keyHash == null) {
      if (!TenantFence.put(
          dynamo,
          table,
          tenantId,
          r -> r.tableName(table).item(op).conditionExpression("attribute_not_exists(pk)"))) {
        throw TenantFence.disconnected();
      }
      return Optional.empty();
    }
    Map<String, AttributeValue> key =
        Keys.item(Keys.idempotencyPk(tenantId, keyHash), Keys.IDEMPOTENCY_SK);
    key.put("operationId", ItemCodec.s(operationId));
    key.put(
        "bodyHash", ItemCodec.s(Objects.requireNonNull(bodyHash, "a key comes with a body hash")));
    key.put("expiresAt", AttributeValue.fromN(Long.toString(keyExpiresAt.getEpochSecond())));
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        dynamo.transactWriteItems(
            r ->
                r.transactItems(
                    TenantFence.check(table, tenantId),
                    TransactWriteItem.builder()
                        .put(
                            Put.builder()
                                .tableName(table)
                                .item(TenantItems.stamp(tenantId, key))
                                // TTL deletes lag by up to days: an expired key is free to reuse.
                                .conditionExpression("attribute_not_exists(pk) OR expiresAt < :now")
                                .expressionAttributeValues(
                                    Map.of(
                                        ":now",
                                        AttributeValue.fromN(Long.toString(now.getEpochSecond()))))
                                .build())
                        .build(),
                    TransactWriteItem.builder()
                        .put(
                            Put.builder()
                                .tableName(table)
                                .item(op)
                                .conditionExpression("attribute_not_exists(pk)")
                                .build())
                        .build()));
        return Optional.empty();
      } catch (TransactionCanceledException e) {
        if (TenantFence.tripped(e, tenantId, "operation " + operationId)) {
          throw TenantFence.disconnected();
        }
        var reasons = e.cancellationReasons();
        // The operation id is new, so only the key's condition can fail.
        boolean keyTaken =
            reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code());
        if (keyTaken) {
          Optional<KeyUse> use = keyUse(tenantId, keyHash);
          if (use.isPresent()) {
            return use;
          }
          // The key expired and vanished in between; try again.
        } else if (reasons.stream().noneMatch(r -> "TransactionConflict".equals(r.code()))) {
          throw e;
        }
      }
    }
    throw new IllegalStateException("the Idempotency-Key stayed contended");
  }

  public Optional<KeyUse> keyUse(String tenantId, String keyHash) {
    var item =
        dynamo
            .getItem(
                r ->
                    r.tableName(table)
                        .consistentRead(true)
                        .key(Keys.key(Keys.idempotencyPk(tenantId, keyHash), Keys.IDEMPOTENCY_SK)))
            .item();
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new KeyUse(
            ItemCodec.attr(item, "operationId").s(),
            ItemCodec.attr(item, "bodyHash").s(),
            Instant.ofEpochSecond(Long.parseLong(ItemCodec.attr(item, "expiresAt").n()))));
  }

  public Optional<Stored> get(String tenantId, String operationId) {
    var item =
        dynamo
            .getItem(
                r ->
                    r.tableName(table)
                        .consistentRead(true)
                        .key(Keys.key(Keys.operationPk(tenantId, operationId), Keys.OPERATION_SK)))
            .item();
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Stored(
            ItemCodec.attr(item, "doc").s(),
            ItemCodec.attr(item, "state").s(),
            Long.parseLong(ItemCodec.attr(item, "version").n())));
  }

  /**
   * Replaces the operation if it is still at {@code expectedVersion}; false when someone else moved
   * it first.
   */
  public boolean save(
      String tenantId,
      String operationId,
      String state,
      String document,
      long expectedVersion,
      Instant now) {
    try {
      dynamo.putItem(
          r ->
              r.tableName(table)
                  .item(
                      operationItem(
                          tenantId, operationId, state, document, expectedVersion + 1, now))
                  .conditionExpression("version = :v")
                  .expressionAttributeValues(
                      Map.of(":v", AttributeValue.fromN(Long.toString(expectedVersion)))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /**
   * A tenant's write queue as counts: writes accepted (each one's number is its ticket), writes
   * ended, and the writes still open between them.
   */
  public record Backlog(long accepted, long finished) {
    public long open() {
      return Math.max(0, accepted - finished);
    }
  }

  /**
   * Takes a ticket in the tenant's write queue unless {@code capacity} writes are already open: the
   * queue with this write in it ({@code accepted} is its ticket), or empty when full (nothing is
   * counted then). One conditional update, so concurrent accepts never pass the capacity. The
   * counts' item is made once through the tenant's fence ({@link TenantFence}) and only updated
   * while it exists, so a purge removes it for good: a 409 for a disconnected tenant.
   */
  public Optional<Backlog> admit(String tenantId, long capacity) throws Problem {
    for (int attempt = 0; ; attempt++) {
      try {
        var updated =
            dynamo.updateItem(
                backlogUpdate(
                        tenantId,
                        "ADD openWrites :one, accepted :one",
                        Map.of(
                            ":one", AttributeValue.fromN("1"),
                            ":cap", AttributeValue.fromN(Long.toString(capacity))))
                    .conditionExpression(
                        "attribute_exists(pk) AND (attribute_not_exists(openWrites) OR openWrites <"
                            + " :cap)")
                    .returnValues(ReturnValue.UPDATED_NEW)
                    .build());
        long accepted = number(updated.attributes(), "accepted");
        return Optional.of(
            new Backlog(accepted, accepted - number(updated.attributes(), "openWrites")));
      } catch (ConditionalCheckFailedException e) {
        if (attempt > 0 || backlogItem(tenantId, true) != null) {
          return Optional.empty();
        }
        createBacklog(tenantId);
      }
    }
  }

  /** The tenant's first write makes its queue's counts, unless the tenant is disconnected. */
  private void createBacklog(String tenantId) throws Problem {
    Map<String, AttributeValue> item =
        Keys.item(Keys.organisationPk(tenantId), Keys.WRITE_BACKLOG_SK);
    for (String count : List.of("accepted", "finished", "openWrites")) {
      item.put(count, AttributeValue.fromN("0"));
    }
    try {
      if (!TenantFence.put(
          dynamo,
          table,
          tenantId,
          r ->
              r.tableName(table)
                  .item(TenantItems.stamp(tenantId, item))
                  .conditionExpression("attribute_not_exists(pk)"))) {
        throw TenantFence.disconnected();
      }
    } catch (ConditionalCheckFailedException madeMeanwhile) {
      // A concurrent accept made it first: take a ticket from it.
    }
  }

  /**
   * One of the tenant's queued writes ended (or was never queued after its ticket was taken). After
   * a purge there is nothing left to count, and nothing is made again.
   */
  public void backlogFinished(String tenantId) {
    try {
      dynamo.updateItem(
          backlogUpdate(
                  tenantId,
                  "ADD openWrites :minus, finished :one",
                  Map.of(
                      ":one", AttributeValue.fromN("1"),
                      ":minus", AttributeValue.fromN("-1")))
              .conditionExpression("attribute_exists(pk)")
              .build());
    } catch (ConditionalCheckFailedException purged) {
      LOG.info("write queue count not kept: the tenant was purged", "tenantId", tenantId);
    }
  }

  /** An update of the tenant's write queue counts, stamped to go with its tenant. */
  private UpdateItemRequest.Builder backlogUpdate(
      String tenantId, String expression, Map<String, AttributeValue> values) {
    return UpdateItemRequest.builder()
        .tableName(table)
        .key(Keys.key(Keys.organisationPk(tenantId), Keys.WRITE_BACKLOG_SK))
        .updateExpression(TenantItems.set(expression))
        .expressionAttributeValues(
            TenantItems.values(tenantId, Keys.organisationPk(tenantId), values));
  }

  public Backlog backlog(String tenantId) {
    Map<String, AttributeValue> item = backlogItem(tenantId, false);
    return item == null
        ? new Backlog(0, 0)
        : new Backlog(number(item, "accepted"), number(item, "finished"));
  }

  private @Nullable Map<String, AttributeValue> backlogItem(String tenantId, boolean consistent) {
    var item =
        dynamo
            .getItem(
                r ->
                    r.tableName(table)
                        .key(Keys.key(Keys.organisationPk(tenantId), Keys.WRITE_BACKLOG_SK))
                        .consistentRead(consistent))
            .item();
    return item == null || item.isEmpty() ? null : item;
  }

  private static long number(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
  }

  /** The Xero side of one of the product's ids: a JSON document the outbox owns. */
  public Optional<String> link(String tenantId, String kind, String externalId) {
    return document(Keys.externalLinkPk(tenantId, kind, externalId), Keys.EXTERNAL_LINK_SK);
  }

  public void putLink(String tenantId, String kind, String externalId, String document) {
    putDocument(
        tenantId, Keys.externalLinkPk(tenantId, kind, externalId), Keys.EXTERNAL_LINK_SK, document);
  }

  public Optional<String> accountingSettings(String tenantId) {
    return document(Keys.organisationPk(tenantId), Keys.ACCOUNTING_SETTINGS_SK);
  }

  public void putAccountingSettings(String tenantId, String document) {
    putDocument(tenantId, Keys.organisationPk(tenantId), Keys.ACCOUNTING_SETTINGS_SK, document);
  }

  /** Accounts, tax rates, currencies and lock dates as last read from Xero, for the dry run. */
  public Optional<String> xeroReference(String tenantId) {
    return document(Keys.organisationPk(tenantId), Keys.XERO_REFERENCE_SK);
  }

  public void putXeroReference(String tenantId, String document) {
    putDocument(tenantId, Keys.organisationPk(tenantId), Keys.XERO_REFERENCE_SK, document);
  }

  private Optional<String> document(String pk, String sk) {
    var item =
        dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(Keys.key(pk, sk))).item();
    return item == null || item.isEmpty()
        ? Optional.empty()
        : Optional.of(ItemCodec.attr(item, "doc").s());
  }

  private void putDocument(String tenantId, String pk, String sk, String document) {
    Map<String, AttributeValue> item = Keys.item(pk, sk);
    item.put("doc", ItemCodec.s(document));
    TenantFence.put(
        dynamo, table, tenantId, r -> r.tableName(table).item(TenantItems.stamp(tenantId, item)));
  }

  private static Map<String, AttributeValue> operationItem(
      String tenantId,
      String operationId,
      String state,
      String document,
      long version,
      Instant now) {
    Map<String, AttributeValue> item =
        Keys.item(Keys.operationPk(tenantId, operationId), Keys.OPERATION_SK);
    item.put("tenantId", ItemCodec.s(tenantId));
    item.put("doc", ItemCodec.s(document));
    item.put("state", ItemCodec.s(state));
    item.put("version", AttributeValue.fromN(Long.toString(version)));
    item.put("updatedAt", ItemCodec.s(now.toString()));
    item.put(
        "expiresAt",
        AttributeValue.fromN(Long.toString(now.plus(OPERATION_RETENTION).getEpochSecond())));
    return TenantItems.stamp(tenantId, item);
  }
}
