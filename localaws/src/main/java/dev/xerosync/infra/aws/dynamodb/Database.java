package dev.xerosync.infra.aws.dynamodb;

import static dev.xerosync.infra.aws.dynamodb.Requests.condition;
import static dev.xerosync.infra.aws.dynamodb.Requests.consistentRead;
import static dev.xerosync.infra.aws.dynamodb.Requests.expressions;
import static dev.xerosync.infra.aws.dynamodb.Requests.key;
import static dev.xerosync.infra.aws.dynamodb.Requests.keyItem;
import static dev.xerosync.infra.aws.dynamodb.Requests.legacy;
import static dev.xerosync.infra.aws.dynamodb.Requests.onConditionFailure;
import static dev.xerosync.infra.aws.dynamodb.Requests.projection;
import static dev.xerosync.infra.aws.dynamodb.Requests.requireKeysNotUpdated;
import static dev.xerosync.infra.aws.dynamodb.Requests.returnValues;
import static dev.xerosync.infra.aws.dynamodb.Requests.validateItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.aws.dynamodb.Expressions.Condition;
import dev.xerosync.infra.aws.dynamodb.Table.Bound;
import dev.xerosync.infra.aws.dynamodb.Table.Key;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * DynamoDB's operations on in-memory tables, request JSON in and response JSON out, with DynamoDB's
 * validation, error types and messages, and consumed capacity by its published rules (Read/write
 * capacity mode: 4 KB read units, halved for eventually consistent reads; 1 KB write units;
 * transactions doubled; index writes counted).
 *
 * <p>This class routes each operation and serves the single-item ones; {@link ControlPlane}, {@link
 * QueryScan}, {@link Batches} and {@link Transactions} serve the rest, {@link Requests} validates,
 * {@link Capacity} reports units, and {@link Tables} holds the tables and the one lock (writes
 * serialised, reads shared, so no read sees half a transaction).
 */
public final class Database {
  // DynamoDB's TTL leaves alone items whose expiry is more than five years in the past.
  static final long TTL_HORIZON_SECONDS = 5L * 365 * 24 * 3600;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Clock clock;
  private final Tables tables = new Tables();
  private final ControlPlane controlPlane;
  private final QueryScan queryScan;
  private final Batches batches;
  private final Transactions transactions;

  public Database(Clock clock, String region, String account) {
    this.clock = clock;
    controlPlane = new ControlPlane(tables, clock, region, account);
    queryScan = new QueryScan(tables);
    batches = new Batches(tables);
    transactions = new Transactions(tables, clock);
  }

  public ObjectNode handle(String operation, JsonNode request) {
    return switch (operation) {
      case "CreateTable" -> controlPlane.createTable(request);
      case "DescribeTable" -> tables.reading(() -> controlPlane.describeTable(request));
      case "ListTables" -> controlPlane.listTables(request);
      case "DeleteTable" -> controlPlane.deleteTable(request);
      case "UpdateTimeToLive" -> controlPlane.updateTimeToLive(request);
      case "DescribeTimeToLive" -> controlPlane.describeTimeToLive(request);
      case "GetItem" -> tables.reading(() -> getItem(request));
      case "PutItem" -> putItem(request);
      case "UpdateItem" -> updateItem(request);
      case "DeleteItem" -> deleteItem(request);
      case "Query" -> tables.reading(() -> queryScan.query(request));
      case "Scan" -> tables.reading(() -> queryScan.scan(request));
      case "BatchGetItem" -> tables.reading(() -> batches.batchGetItem(request));
      case "BatchWriteItem" -> batches.batchWriteItem(request);
      case "TransactWriteItems" -> transactions.transactWriteItems(request);
      case "TransactGetItems" -> tables.reading(() -> transactions.transactGetItems(request));
      default ->
          throw new DynamoError(
              "UnknownOperationException",
              "The DynamoDB stand-in does not implement " + operation + ".");
    };
  }

  // ================================================================ time to live

  /** Deletes items past their time to live; the stand-in calls this in the background. */
  public int expire() {
    long now = clock.instant().getEpochSecond();
    int deleted = 0;
    for (var table : tables.all()) {
      var attribute = table.ttlAttribute;
      if (attribute == null) {
        continue;
      }
      var due =
          new ArrayList<>(
              table.expiries.subSet(
                  new Table.TtlEntry(
                      now - TTL_HORIZON_SECONDS, new Key(Bound.LOW, null, null, null)),
                  new Table.TtlEntry(now, new Key(Bound.LOW, null, null, null))));
      for (var entry : due) {
        deleted +=
            tables.writing(
                () -> {
                  var item = table.items.get(entry.key());
                  var expiry = Table.expiry(item, attribute);
                  if (item == null || expiry == null || expiry >= now) {
                    return 0;
                  }
                  table.store(entry.key(), item, null);
                  return 1;
                });
      }
    }
    tables.writing(
        () -> {
          var instant = clock.instant();
          transactions.forgetExpiredTokens(instant);
          return null;
        });
    return deleted;
  }

  // ================================================================ single items

  private ObjectNode getItem(JsonNode request) {
    var table = tables.table(request);
    var key = key(table, request.get("Key"));
    var expressions = expressions(request);
    var projection = projection(request, expressions);
    expressions.requireAllUsed();
    boolean consistent = consistentRead(request, null);
    var item = table.items.get(key);
    var reply = NODES.objectNode();
    if (item != null) {
      reply.set(
          "Item",
          ValueJson.toJson(projection == null ? item : Evaluation.project(item, projection)));
    }
    Capacity.report(
        reply,
        request,
        table.name,
        Table.readUnits(item == null ? 0 : Value.itemSize(item), consistent),
        Map.of());
    return reply;
  }

  private ObjectNode putItem(JsonNode request) {
    var table = tables.table(request);
    legacy(request, "Expected", "ConditionalOperator");
    var item = ValueJson.item(request.get("Item"));
    validateItem(table, item, false);
    var key = table.key(item);
    var expressions = expressions(request);
    var condition = condition(request, "ConditionExpression", expressions);
    expressions.requireAllUsed();
    var returnValues = returnValues(request, Set.of("NONE", "ALL_OLD"));
    var onFailure = onConditionFailure(request);
    return tables.writing(
        () -> {
          var old = table.items.get(key);
          check(condition, old, onFailure);
          var units = table.store(key, old, Map.copyOf(new LinkedHashMap<>(item)));
          var reply = NODES.objectNode();
          if (returnValues.equals("ALL_OLD") && old != null) {
            reply.set("Attributes", ValueJson.toJson(old));
          }
          Capacity.report(reply, request, table.name, units.table(), units.indexes());
          return reply;
        });
  }

  private ObjectNode updateItem(JsonNode request) {
    var table = tables.table(request);
    legacy(request, "AttributeUpdates", "Expected", "ConditionalOperator");
    var key = key(table, request.get("Key"));
    var keyItem = keyItem(table, request.get("Key"));
    var expressions = expressions(request);
    var update =
        request.hasNonNull("UpdateExpression")
            ? expressions.update(request.get("UpdateExpression").asText())
            : null;
    var condition = condition(request, "ConditionExpression", expressions);
    expressions.requireAllUsed();
    if (update != null) {
      requireKeysNotUpdated(table, update);
    }
    var returnValues =
        returnValues(request, Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"));
    var onFailure = onConditionFailure(request);
    return tables.writing(
        () -> {
          var old = table.items.get(key);
          check(condition, old, onFailure);
          var base = old != null ? old : keyItem;
          var applied =
              update == null
                  ? new UpdateApplication.Applied(new LinkedHashMap<>(base), Set.of())
                  : UpdateApplication.apply(base, update);
          var next = applied.item();
          validateItem(table, next, true);
          var units = table.store(key, old, Map.copyOf(next));
          var reply = NODES.objectNode();
          var attributes =
              switch (returnValues) {
                case "ALL_OLD" -> old;
                case "ALL_NEW" -> next;
                case "UPDATED_OLD" -> old == null ? null : only(old, applied.touched());
                case "UPDATED_NEW" -> only(next, applied.touched());
                default -> null;
              };
          if (attributes != null && !attributes.isEmpty()) {
            reply.set("Attributes", ValueJson.toJson(attributes));
          }
          Capacity.report(reply, request, table.name, units.table(), units.indexes());
          return reply;
        });
  }

  private static Map<String, Value> only(Map<String, Value> item, Set<String> names) {
    var result = new LinkedHashMap<String, Value>();
    for (var name : names) {
      if (item.containsKey(name)) {
        result.put(name, item.get(name));
      }
    }
    return result;
  }

  private ObjectNode deleteItem(JsonNode request) {
    var table = tables.table(request);
    legacy(request, "Expected", "ConditionalOperator");
    var key = key(table, request.get("Key"));
    var expressions = expressions(request);
    var condition = condition(request, "ConditionExpression", expressions);
    expressions.requireAllUsed();
    var returnValues = returnValues(request, Set.of("NONE", "ALL_OLD"));
    var onFailure = onConditionFailure(request);
    return tables.writing(
        () -> {
          var old = table.items.get(key);
          check(condition, old, onFailure);
          var reply = NODES.objectNode();
          double units = 1;
          Map<String, Double> indexUnits = Map.of();
          if (old != null) {
            var written = table.store(key, old, null);
            units = written.table();
            indexUnits = written.indexes();
            if (returnValues.equals("ALL_OLD")) {
              reply.set("Attributes", ValueJson.toJson(old));
            }
          }
          Capacity.report(reply, request, table.name, units, indexUnits);
          return reply;
        });
  }

  private static void check(Condition condition, Map<String, Value> old, boolean returnOld) {
    if (condition != null && !Evaluation.test(old == null ? Map.of() : old, condition)) {
      ObjectNode extra = null;
      if (returnOld && old != null) {
        extra = NODES.objectNode();
        extra.set("Item", ValueJson.toJson(old));
      }
      throw new DynamoError(
          400, "ConditionalCheckFailedException", "The conditional request failed", extra);
    }
  }
}
