package dev.xerosync.infra.aws.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.aws.dynamodb.Expressions.Condition;
import dev.xerosync.infra.aws.dynamodb.Expressions.Path;
import dev.xerosync.infra.aws.dynamodb.Table.Attribute;
import dev.xerosync.infra.aws.dynamodb.Table.Bound;
import dev.xerosync.infra.aws.dynamodb.Table.Index;
import dev.xerosync.infra.aws.dynamodb.Table.Key;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * DynamoDB's operations on in-memory tables, request JSON in and response JSON out, with DynamoDB's
 * validation, error types and messages, and consumed capacity by its published rules (Read/write
 * capacity mode: 4 KB read units, halved for eventually consistent reads; 1 KB write units;
 * transactions doubled; index writes counted).
 *
 * <p>Writes are serialised by one lock, so every item write is atomic and a transaction is applied
 * all at once; reads take the shared side of the same lock, so they never see half a transaction.
 */
public final class Database {

  static final long MAX_ITEM_BYTES = 400 * 1024;
  static final long PAGE_BYTES = 1024 * 1024;
  static final Duration TOKEN_WINDOW = Duration.ofMinutes(10);
  // DynamoDB's TTL leaves alone items whose expiry is more than five years in the past.
  static final long TTL_HORIZON_SECONDS = 5L * 365 * 24 * 3600;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

  private final Clock clock;
  private final String region;
  private final String account;
  private final Map<String, Table> tables = new ConcurrentHashMap<>();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final LinkedHashMap<String, Token> tokens = new LinkedHashMap<>();

  private record Token(String digest, Instant expires, ObjectNode response) {}

  public Database(Clock clock, String region, String account) {
    this.clock = clock;
    this.region = region;
    this.account = account;
  }

  public ObjectNode handle(String operation, JsonNode request) {
    return switch (operation) {
      case "CreateTable" -> createTable(request);
      case "DescribeTable" -> reading(() -> describeTable(request));
      case "ListTables" -> listTables(request);
      case "DeleteTable" -> deleteTable(request);
      case "UpdateTimeToLive" -> updateTimeToLive(request);
      case "DescribeTimeToLive" -> describeTimeToLive(request);
      case "GetItem" -> reading(() -> getItem(request));
      case "PutItem" -> putItem(request);
      case "UpdateItem" -> updateItem(request);
      case "DeleteItem" -> deleteItem(request);
      case "Query" -> reading(() -> query(request));
      case "Scan" -> reading(() -> scan(request));
      case "BatchGetItem" -> reading(() -> batchGetItem(request));
      case "BatchWriteItem" -> batchWriteItem(request);
      case "TransactWriteItems" -> transactWriteItems(request);
      case "TransactGetItems" -> reading(() -> transactGetItems(request));
      default ->
          throw new DynamoError(
              "UnknownOperationException",
              "The DynamoDB stand-in does not implement " + operation + ".");
    };
  }

  private ObjectNode reading(Supplier<ObjectNode> read) {
    lock.readLock().lock();
    try {
      return read.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  private <T> T writing(Supplier<T> write) {
    lock.writeLock().lock();
    try {
      return write.get();
    } finally {
      lock.writeLock().unlock();
    }
  }

  // ================================================================ tables

  private ObjectNode createTable(JsonNode request) {
    var name = tableName(request);
    var definitions = new LinkedHashMap<String, String>();
    for (var d : list(request, "AttributeDefinitions")) {
      var type = text(d, "AttributeType");
      if (!Set.of("S", "N", "B").contains(type)) {
        throw DynamoError.validation(
            "1 validation error detected: Value '"
                + type
                + "' at 'attributeDefinitions.member.attributeType' failed to satisfy constraint:"
                + " Member must satisfy enum value set: [B, N, S]");
      }
      definitions.put(text(d, "AttributeName"), type);
    }
    var used = new LinkedHashSet<String>();
    var keys = keySchema(request.get("KeySchema"), definitions, used);
    var billing = request.path("BillingMode").asText("PROVISIONED");
    var throughput = NODES.objectNode();
    throughput.put("NumberOfDecreasesToday", 0);
    if (billing.equals("PROVISIONED")) {
      var p = request.get("ProvisionedThroughput");
      if (p == null || !p.has("ReadCapacityUnits") || !p.has("WriteCapacityUnits")) {
        throw DynamoError.invalidParameter(
            "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is"
                + " PROVISIONED");
      }
      throughput.put("ReadCapacityUnits", p.get("ReadCapacityUnits").asLong());
      throughput.put("WriteCapacityUnits", p.get("WriteCapacityUnits").asLong());
    } else if (billing.equals("PAY_PER_REQUEST")) {
      if (request.hasNonNull("ProvisionedThroughput")) {
        throw DynamoError.invalidParameter(
            "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is"
                + " PAY_PER_REQUEST");
      }
      throughput.put("ReadCapacityUnits", 0);
      throughput.put("WriteCapacityUnits", 0);
    } else {
      throw DynamoError.validation(
          "1 validation error detected: Value '"
              + billing
              + "' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value"
              + " set: [PROVISIONED, PAY_PER_REQUEST]");
    }
    var indexes = new ArrayList<Index>();
    var indexNames = new HashSet<String>();
    for (var global : new boolean[] {true, false}) {
      for (var i : list(request, global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes")) {
        var indexName = text(i, "IndexName");
        if (!indexNames.add(indexName)) {
          throw DynamoError.invalidParameter("Duplicate index name: " + indexName);
        }
        var indexKeys = keySchema(i.get("KeySchema"), definitions, used);
        if (!global && !indexKeys[0].equals(keys[0])) {
          throw DynamoError.invalidParameter(
              "Table KeySchema does not have a range key, which is required when specifying a"
                  + " LocalSecondaryIndex");
        }
        var projection = i.path("Projection");
        var type = projection.path("ProjectionType").asText("ALL");
        var nonKey = new ArrayList<String>();
        projection.path("NonKeyAttributes").forEach(n -> nonKey.add(n.asText()));
        indexes.add(new Index(indexName, global, indexKeys[0], indexKeys[1], type, nonKey));
      }
    }
    if (!used.equals(definitions.keySet())) {
      throw DynamoError.invalidParameter(
          "Some AttributeDefinitions are not used. AttributeDefinitions: "
              + definitions.keySet()
              + ", keys used: "
              + used);
    }
    ObjectNode stream = null;
    var streamSpec = request.get("StreamSpecification");
    if (streamSpec != null && streamSpec.path("StreamEnabled").asBoolean(false)) {
      stream = (ObjectNode) streamSpec.deepCopy();
    }
    var attributes = new ArrayList<Attribute>();
    definitions.forEach((n, t) -> attributes.add(new Attribute(n, t)));
    var table =
        new Table(
            name,
            "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name,
            UUID.randomUUID().toString(),
            clock.instant(),
            keys[0],
            keys[1],
            attributes,
            billing,
            throughput,
            stream,
            indexes);
    return writing(
        () -> {
          if (tables.putIfAbsent(name, table) != null) {
            throw new DynamoError("ResourceInUseException", "Table already exists: " + name);
          }
          var reply = NODES.objectNode();
          reply.set("TableDescription", describe(table, "ACTIVE"));
          return reply;
        });
  }

  private static Attribute[] keySchema(
      JsonNode schema, Map<String, String> definitions, Set<String> used) {
    Attribute hash = null;
    Attribute range = null;
    if (schema == null || !schema.isArray() || schema.isEmpty() || schema.size() > 2) {
      throw DynamoError.validation(
          "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint:"
              + " Member must have length between 1 and 2");
    }
    for (var k : schema) {
      var name = text(k, "AttributeName");
      var type = definitions.get(name);
      if (type == null) {
        throw DynamoError.invalidParameter(
            "Some index key attributes are not defined in AttributeDefinitions. Keys: ["
                + name
                + "], AttributeDefinitions: "
                + definitions.keySet());
      }
      used.add(name);
      switch (text(k, "KeyType")) {
        case "HASH" -> hash = new Attribute(name, type);
        case "RANGE" -> range = new Attribute(name, type);
        default -> throw DynamoError.invalidParameter("Invalid KeyType in KeySchema");
      }
    }
    if (hash == null) {
      throw DynamoError.invalidParameter(
          "No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key");
    }
    return new Attribute[] {hash, range};
  }

  private ObjectNode describe(Table table, String status) {
    var d = NODES.objectNode();
    var definitions = d.putArray("AttributeDefinitions");
    table.attributeDefinitions.forEach(
        a -> definitions.addObject().put("AttributeName", a.name()).put("AttributeType", a.type()));
    d.put("TableName", table.name);
    d.set("KeySchema", keySchemaJson(table.hash, table.range));
    d.put("TableStatus", status);
    d.put("CreationDateTime", seconds(table.created));
    d.set("ProvisionedThroughput", table.provisionedThroughput.deepCopy());
    d.put("TableSizeBytes", table.bytes.get());
    d.put("ItemCount", table.items.size());
    d.put("TableArn", table.arn);
    d.put("TableId", table.id);
    if (table.billingMode.equals("PAY_PER_REQUEST")) {
      d.putObject("BillingModeSummary")
          .put("BillingMode", "PAY_PER_REQUEST")
          .put("LastUpdateToPayPerRequestDateTime", seconds(table.created));
    }
    for (var global : new boolean[] {true, false}) {
      var list = global ? table.globalIndexes() : table.localIndexes();
      if (list.isEmpty()) {
        continue;
      }
      ArrayNode array = d.putArray(global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
      for (var index : list) {
        var i = array.addObject();
        i.put("IndexName", index.name);
        i.set("KeySchema", keySchemaJson(index.hash, index.range));
        var projection = i.putObject("Projection").put("ProjectionType", index.projectionType);
        if (!index.nonKeyAttributes.isEmpty()) {
          var nonKey = projection.putArray("NonKeyAttributes");
          index.nonKeyAttributes.forEach(nonKey::add);
        }
        if (global) {
          i.put("IndexStatus", "ACTIVE");
          i.set("ProvisionedThroughput", table.provisionedThroughput.deepCopy());
        }
        i.put("IndexSizeBytes", index.bytes.get());
        i.put("ItemCount", index.entries.size());
        i.put("IndexArn", table.arn + "/index/" + index.name);
      }
    }
    if (table.streamSpecification != null) {
      d.set("StreamSpecification", table.streamSpecification.deepCopy());
      var label = table.created.toString().replace("Z", "");
      d.put("LatestStreamLabel", label);
      d.put("LatestStreamArn", table.arn + "/stream/" + label);
    }
    d.put("DeletionProtectionEnabled", false);
    return d;
  }

  private static ArrayNode keySchemaJson(Attribute hash, Attribute range) {
    var schema = NODES.arrayNode();
    schema.addObject().put("AttributeName", hash.name()).put("KeyType", "HASH");
    if (range != null) {
      schema.addObject().put("AttributeName", range.name()).put("KeyType", "RANGE");
    }
    return schema;
  }

  private static BigDecimal seconds(Instant instant) {
    return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
  }

  private ObjectNode describeTable(JsonNode request) {
    var name = tableName(request);
    var table = tables.get(name);
    if (table == null) {
      throw new DynamoError(
          "ResourceNotFoundException",
          "Requested resource not found: Table: " + name + " not found");
    }
    var reply = NODES.objectNode();
    reply.set("Table", describe(table, "ACTIVE"));
    return reply;
  }

  private ObjectNode listTables(JsonNode request) {
    int limit = request.path("Limit").asInt(100);
    if (limit < 1 || limit > 100) {
      throw DynamoError.validation(
          "1 validation error detected: Value '"
              + limit
              + "' at 'limit' failed to satisfy constraint: Member must have value "
              + (limit < 1 ? "greater than or equal to 1" : "less than or equal to 100"));
    }
    var start = request.path("ExclusiveStartTableName").asText(null);
    var names = new TreeMap<String, Table>(tables).navigableKeySet();
    var after = start == null ? names : names.tailSet(start, false);
    var reply = NODES.objectNode();
    var array = reply.putArray("TableNames");
    String last = null;
    for (var name : after) {
      if (array.size() == limit) {
        reply.put("LastEvaluatedTableName", last);
        break;
      }
      array.add(name);
      last = name;
    }
    return reply;
  }

  private ObjectNode deleteTable(JsonNode request) {
    var name = tableName(request);
    return writing(
        () -> {
          var table = tables.remove(name);
          if (table == null) {
            throw new DynamoError(
                "ResourceNotFoundException",
                "Requested resource not found: Table: " + name + " not found");
          }
          var reply = NODES.objectNode();
          reply.set("TableDescription", describe(table, "DELETING"));
          return reply;
        });
  }

  private ObjectNode updateTimeToLive(JsonNode request) {
    var table = table(request);
    var spec = request.get("TimeToLiveSpecification");
    if (spec == null || !spec.has("AttributeName") || !spec.has("Enabled")) {
      throw DynamoError.validation(
          "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy"
              + " constraint: Member must not be null");
    }
    var attribute = text(spec, "AttributeName");
    boolean enabled = spec.get("Enabled").asBoolean();
    return writing(
        () -> {
          var current = table.ttlAttribute;
          if (enabled && current != null) {
            throw DynamoError.validation("TimeToLive is already enabled");
          }
          if (!enabled && current == null) {
            throw DynamoError.validation("TimeToLive is already disabled");
          }
          if (!enabled && !current.equals(attribute)) {
            throw DynamoError.validation(
                "TimeToLive is active on a different AttributeName: current AttributeName is "
                    + current);
          }
          table.timeToLive(enabled ? attribute : null);
          var reply = NODES.objectNode();
          reply
              .putObject("TimeToLiveSpecification")
              .put("AttributeName", attribute)
              .put("Enabled", enabled);
          return reply;
        });
  }

  private ObjectNode describeTimeToLive(JsonNode request) {
    var table = table(request);
    var reply = NODES.objectNode();
    var d = reply.putObject("TimeToLiveDescription");
    var attribute = table.ttlAttribute;
    if (attribute == null) {
      d.put("TimeToLiveStatus", "DISABLED");
    } else {
      d.put("TimeToLiveStatus", "ENABLED").put("AttributeName", attribute);
    }
    return reply;
  }

  /** Deletes items past their time to live; the stand-in calls this in the background. */
  public int expire() {
    long now = clock.instant().getEpochSecond();
    int deleted = 0;
    for (var table : tables.values()) {
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
            writing(
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
    writing(
        () -> {
          var instant = clock.instant();
          tokens.values().removeIf(t -> t.expires().isBefore(instant));
          return null;
        });
    return deleted;
  }

  // ================================================================ single items

  private ObjectNode getItem(JsonNode request) {
    var table = table(request);
    var key = key(table, request.get("Key"));
    var expressions = expressions(request);
    var projection = projection(request, expressions);
    expressions.requireAllUsed();
    boolean consistent = request.path("ConsistentRead").asBoolean(false);
    var item = table.items.get(key);
    var reply = NODES.objectNode();
    if (item != null) {
      reply.set(
          "Item", Value.toJson(projection == null ? item : Expressions.project(item, projection)));
    }
    capacity(
        reply,
        request,
        table.name,
        Table.readUnits(item == null ? 0 : Value.itemSize(item), consistent),
        Map.of(),
        false);
    return reply;
  }

  private ObjectNode putItem(JsonNode request) {
    var table = table(request);
    legacy(request, "Expected", "ConditionalOperator");
    var item = Value.item(request.get("Item"));
    validateItem(table, item, false);
    var key = table.key(item);
    var expressions = expressions(request);
    var condition = condition(request, "ConditionExpression", expressions);
    expressions.requireAllUsed();
    var returnValues = returnValues(request, Set.of("NONE", "ALL_OLD"));
    var onFailure = onConditionFailure(request);
    return writing(
        () -> {
          var old = table.items.get(key);
          check(condition, old, onFailure);
          var units = table.store(key, old, Map.copyOf(new LinkedHashMap<>(item)));
          var reply = NODES.objectNode();
          if (returnValues.equals("ALL_OLD") && old != null) {
            reply.set("Attributes", Value.toJson(old));
          }
          capacity(reply, request, table.name, units.table(), units.indexes(), true);
          return reply;
        });
  }

  private ObjectNode updateItem(JsonNode request) {
    var table = table(request);
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
      for (var path : update.paths()) {
        if (table.keyNames().contains(path.top())) {
          throw DynamoError.invalidParameter(
              "Cannot update attribute " + path.top() + ". This attribute is part of the key");
        }
      }
    }
    var returnValues =
        returnValues(request, Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"));
    var onFailure = onConditionFailure(request);
    return writing(
        () -> {
          var old = table.items.get(key);
          check(condition, old, onFailure);
          var base = old != null ? old : keyItem;
          var applied =
              update == null
                  ? new Expressions.Applied(new LinkedHashMap<>(base), Set.of())
                  : Expressions.apply(base, update);
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
            reply.set("Attributes", Value.toJson(attributes));
          }
          capacity(reply, request, table.name, units.table(), units.indexes(), true);
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
    var table = table(request);
    legacy(request, "Expected", "ConditionalOperator");
    var key = key(table, request.get("Key"));
    var expressions = expressions(request);
    var condition = condition(request, "ConditionExpression", expressions);
    expressions.requireAllUsed();
    var returnValues = returnValues(request, Set.of("NONE", "ALL_OLD"));
    var onFailure = onConditionFailure(request);
    return writing(
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
              reply.set("Attributes", Value.toJson(old));
            }
          }
          capacity(reply, request, table.name, units, indexUnits, true);
          return reply;
        });
  }

  private static void check(Condition condition, Map<String, Value> old, boolean returnOld) {
    if (condition != null && !Expressions.test(old == null ? Map.of() : old, condition)) {
      ObjectNode extra = null;
      if (returnOld && old != null) {
        extra = NODES.objectNode();
        extra.set("Item", Value.toJson(old));
      }
      throw new DynamoError(
          400, "ConditionalCheckFailedException", "The conditional request failed", extra);
    }
  }

  // ================================================================ query and scan

  private record KeyCondition(Value hash, String op, Value low, Value high) {}

  private ObjectNode query(JsonNode request) {
    var table = table(request);
    legacy(request, "KeyConditions", "QueryFilter", "AttributesToGet", "ConditionalOperator");
    var index = index(table, request);
    boolean consistent = request.path("ConsistentRead").asBoolean(false);
    if (consistent && index != null && index.global) {
      throw DynamoError.validation(
          "Consistent reads are not supported on global secondary indexes");
    }
    if (!request.hasNonNull("KeyConditionExpression")) {
      throw DynamoError.validation(
          "Either the KeyConditions or KeyConditionExpression parameter must be specified in the"
              + " request.");
    }
    var expressions = expressions(request);
    var hash = index == null ? table.hash : index.hash;
    var range = index == null ? table.range : index.range;
    var keyCondition =
        keyCondition(
            expressions.condition(
                request.get("KeyConditionExpression").asText(), "KeyConditionExpression"),
            hash,
            range);
    var filter = condition(request, "FilterExpression", expressions);
    var projection = projection(request, expressions);
    expressions.requireAllUsed();
    var limit = limit(request);
    var start = startKey(table, index, request.get("ExclusiveStartKey"));

    var source = table.source(index);
    Object lowSort = Bound.LOW;
    boolean lowInclusive = true;
    Object highSort = Bound.HIGH;
    boolean highInclusive = true;
    var k = keyCondition;
    if (k.op() != null) {
      switch (k.op()) {
        case "=" -> {
          lowSort = k.low();
          highSort = k.low();
        }
        case "<" -> {
          highSort = k.low();
          highInclusive = false;
        }
        case "<=" -> highSort = k.low();
        case ">" -> {
          lowSort = k.low();
          lowInclusive = false;
        }
        case ">=" -> lowSort = k.low();
        case "BETWEEN" -> {
          lowSort = k.low();
          highSort = k.high();
        }
        case "begins_with" -> {
          lowSort = k.low();
          var successor = successor(k.low());
          if (successor != null) {
            highSort = successor;
            highInclusive = false;
          }
        }
        default -> throw new IllegalStateException(k.op());
      }
    }
    // Bounds on the sort value widen to cover every table key that shares it.
    Key from =
        new Key(
            k.hash(),
            lowSort,
            lowInclusive ? Bound.LOW : Bound.HIGH,
            lowInclusive ? Bound.LOW : Bound.HIGH);
    Key to =
        new Key(
            k.hash(),
            highSort,
            highInclusive ? Bound.HIGH : Bound.LOW,
            highInclusive ? Bound.HIGH : Bound.LOW);
    NavigableMap<Key, Map<String, Value>> range1;
    if (Table.ORDER.compare(from, to) > 0) {
      range1 = new TreeMap<>();
    } else {
      range1 = source.subMap(from, true, to, true);
    }
    boolean forward = request.path("ScanIndexForward").asBoolean(true);
    if (start != null) {
      if (!start.a().equals(k.hash())) {
        throw DynamoError.validation(
            "The provided starting key is invalid: The provided key element does not match the schema");
      }
      range1 = forward ? range1.tailMap(start, false) : range1.headMap(start, false);
    }
    var walk =
        forward ? range1.entrySet().iterator() : range1.descendingMap().entrySet().iterator();
    return page(request, table, index, walk, limit, filter, projection, consistent, null);
  }

  /** The smallest value above every value that starts with the prefix, or null if none. */
  private static Value successor(Value prefix) {
    if (prefix instanceof Value.S s) {
      var codePoints = s.value().codePoints().toArray();
      for (int i = codePoints.length - 1; i >= 0; i--) {
        if (codePoints[i] < Character.MAX_CODE_POINT) {
          int cp = codePoints[i] + 1;
          if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
            cp = Character.MAX_SURROGATE + 1;
          }
          var b = new StringBuilder();
          for (int j = 0; j < i; j++) {
            b.appendCodePoint(codePoints[j]);
          }
          return new Value.S(b.appendCodePoint(cp).toString());
        }
      }
      return null;
    }
    var bytes = ((Value.B) prefix).bytes();
    for (int i = bytes.length - 1; i >= 0; i--) {
      if ((bytes[i] & 0xff) != 0xff) {
        var copy = Arrays.copyOf(bytes, i + 1);
        copy[i]++;
        return new Value.B(copy);
      }
    }
    return null;
  }

  private ObjectNode scan(JsonNode request) {
    var table = table(request);
    legacy(request, "ScanFilter", "AttributesToGet", "ConditionalOperator");
    var index = index(table, request);
    boolean consistent = request.path("ConsistentRead").asBoolean(false);
    if (consistent && index != null && index.global) {
      throw DynamoError.validation(
          "Consistent reads are not supported on global secondary indexes");
    }
    var expressions = expressions(request);
    var filter = condition(request, "FilterExpression", expressions);
    var projection = projection(request, expressions);
    expressions.requireAllUsed();
    var limit = limit(request);
    var segment = request.get("Segment");
    var total = request.get("TotalSegments");
    if ((segment == null) != (total == null)) {
      throw DynamoError.validation(
          "The TotalSegments parameter is required but was not present in the request when"
              + " Segment parameter is present");
    }
    int[] split = null;
    if (segment != null) {
      int s = segment.asInt();
      int t = total.asInt();
      if (t < 1 || t > 1_000_000) {
        throw DynamoError.validation(
            "1 validation error detected: Value '"
                + t
                + "' at 'totalSegments' failed to satisfy constraint: Member must have value"
                + (t < 1 ? " greater than or equal to 1" : " less than or equal to 1000000"));
      }
      if (s < 0 || s >= t) {
        throw DynamoError.validation(
            "The Segment parameter is zero-based and must be less than parameter TotalSegments:"
                + " Segment: "
                + s
                + " is not less than TotalSegments: "
                + t);
      }
      split = new int[] {s, t};
    }
    var start = startKey(table, index, request.get("ExclusiveStartKey"));
    NavigableMap<Key, Map<String, Value>> source = table.source(index);
    if (start != null) {
      source = source.tailMap(start, false);
    }
    return page(
        request,
        table,
        index,
        source.entrySet().iterator(),
        limit,
        filter,
        projection,
        consistent,
        split);
  }

  /** Segment of an item by its partition key, as DynamoDB splits a parallel scan. */
  private static int segmentOf(Table table, Map<String, Value> item, int total) {
    return Math.floorMod(item.get(table.hash.name()).hashCode() * 0x9E3779B9, total);
  }

  private ObjectNode page(
      JsonNode request,
      Table table,
      Index index,
      Iterator<Map.Entry<Key, Map<String, Value>>> walk,
      Integer limit,
      Condition filter,
      List<Path> projection,
      boolean consistent,
      int[] split) {
    var select = request.path("Select").asText(null);
    if (select != null
        && select.equals("ALL_ATTRIBUTES")
        && index != null
        && !index.projectionType.equals("ALL")) {
      throw DynamoError.validation(
          "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported"
              + " for global secondary index "
              + index.name
              + " because its projection type is not ALL");
    }
    if (projection != null && select != null && !select.equals("SPECIFIC_ATTRIBUTES")) {
      throw DynamoError.validation(
          "Cannot specify the ProjectionExpression when choosing to get " + select);
    }
    boolean count = "COUNT".equals(select);
    var reply = NODES.objectNode();
    ArrayNode items = count ? null : reply.putArray("Items");
    int evaluated = 0;
    int matched = 0;
    long bytes = 0;
    Map<String, Value> last = null;
    boolean stopped = false;
    while (walk.hasNext()) {
      if ((limit != null && evaluated >= limit) || bytes >= PAGE_BYTES) {
        stopped = true;
        break;
      }
      var entry = walk.next();
      var item = entry.getValue();
      if (split != null && segmentOf(table, item, split[1]) != split[0]) {
        continue;
      }
      evaluated++;
      bytes += Value.itemSize(item);
      last = item;
      if (filter != null && !Expressions.test(item, filter)) {
        continue;
      }
      matched++;
      if (!count) {
        items.add(Value.toJson(projection == null ? item : Expressions.project(item, projection)));
      }
    }
    if (limit != null && evaluated >= limit) {
      // DynamoDB stops when it reaches Limit and returns the key it stopped at even when nothing
      // follows (Query: "LastEvaluatedKey ... does not necessarily mean that there is more data").
      stopped = true;
    }
    reply.put("Count", matched);
    reply.put("ScannedCount", evaluated);
    if (stopped && last != null) {
      var lastKey = new LinkedHashMap<String, Value>();
      for (var name : table.keyNames()) {
        lastKey.put(name, last.get(name));
      }
      if (index != null) {
        lastKey.put(index.hash.name(), last.get(index.hash.name()));
        if (index.range != null) {
          lastKey.put(index.range.name(), last.get(index.range.name()));
        }
      }
      reply.set("LastEvaluatedKey", Value.toJson(lastKey));
    }
    var units = Table.readUnits(bytes, consistent);
    if (index == null) {
      capacity(reply, request, table.name, units, Map.of(), false);
    } else {
      capacityOnIndex(reply, request, table.name, index, units);
    }
    return reply;
  }

  private KeyCondition keyCondition(Condition c, Attribute hash, Attribute range) {
    var parts = new ArrayList<Condition>();
    flattenAnd(c, parts);
    if (parts.size() > 2) {
      throw DynamoError.validation(
          "KeyConditionExpressions must only contain one condition per key");
    }
    Value hashValue = null;
    KeyCondition sort = null;
    for (var part : parts) {
      String attribute;
      switch (part) {
        case Expressions.Compare cmp -> {
          attribute = keyAttribute(cmp.left());
          var value = keyValue(cmp.right());
          if (attribute.equals(hash.name())) {
            if (!cmp.op().equals("=")) {
              throw DynamoError.validation("Query key condition not supported");
            }
            if (hashValue != null) {
              throw DynamoError.validation(
                  "KeyConditionExpressions must only contain one condition per key");
            }
            hashValue = typed(value, hash);
            continue;
          }
          if (cmp.op().equals("<>")) {
            throw DynamoError.validation(
                "Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression:"
                    + " <>");
          }
          sort = new KeyCondition(null, cmp.op(), value, null);
        }
        case Expressions.Between b -> {
          attribute = keyAttribute(b.subject());
          sort = new KeyCondition(null, "BETWEEN", keyValue(b.low()), keyValue(b.high()));
        }
        case Expressions.Function f when f.name().equals("begins_with") -> {
          attribute = keyAttribute(f.args().getFirst());
          var prefix = keyValue(f.args().get(1));
          sort = new KeyCondition(null, "begins_with", prefix, null);
        }
        case Expressions.Or o ->
            throw DynamoError.validation("Invalid operator used in KeyConditionExpression: OR");
        case Expressions.Not n ->
            throw DynamoError.validation("Invalid operator used in KeyConditionExpression: NOT");
        case Expressions.In in ->
            throw DynamoError.validation("Invalid operator used in KeyConditionExpression: IN");
        case Expressions.Function f ->
            throw DynamoError.validation(
                "Invalid operator used in KeyConditionExpression: " + f.name());
        default -> throw DynamoError.validation("Query key condition not supported");
      }
      if (range == null || !attribute.equals(range.name())) {
        throw DynamoError.validation(
            "Query condition missed key schema element: "
                + (range == null ? hash.name() : range.name()));
      }
      if (sort.op().equals("begins_with") && range.type().equals("N")) {
        throw DynamoError.validation(
            "Invalid KeyConditionExpression: Incorrect operand type for operator or function;"
                + " operator or function: begins_with, operand type: NUMBER");
      }
      typed(sort.low(), range);
      if (sort.high() != null) {
        typed(sort.high(), range);
      }
    }
    if (hashValue == null) {
      throw DynamoError.validation("Query condition missed key schema element: " + hash.name());
    }
    return sort == null
        ? new KeyCondition(hashValue, null, null, null)
        : new KeyCondition(hashValue, sort.op(), sort.low(), sort.high());
  }

  private static void flattenAnd(Condition c, List<Condition> into) {
    if (c instanceof Expressions.And and) {
      flattenAnd(and.left(), into);
      flattenAnd(and.right(), into);
    } else {
      into.add(c);
    }
  }

  private static String keyAttribute(Expressions.Operand operand) {
    if (operand instanceof Expressions.PathOperand p && p.path().isTop()) {
      return p.path().top();
    }
    throw DynamoError.validation("Query key condition not supported");
  }

  private static Value keyValue(Expressions.Operand operand) {
    if (operand instanceof Expressions.Literal l) {
      return l.value();
    }
    throw DynamoError.validation("Query key condition not supported");
  }

  private static Value typed(Value value, Attribute attribute) {
    if (!value.type().equals(attribute.type())) {
      throw DynamoError.invalidParameter("Condition parameter type does not match schema type");
    }
    return value;
  }

  private static Integer limit(JsonNode request) {
    if (!request.hasNonNull("Limit")) {
      return null;
    }
    int limit = request.get("Limit").asInt();
    if (limit < 1) {
      throw DynamoError.validation(
          "1 validation error detected: Value '"
              + limit
              + "' at 'limit' failed to satisfy constraint: Member must have value greater than or"
              + " equal to 1");
    }
    return limit;
  }

  private Key startKey(Table table, Index index, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    var start = Value.item(node);
    var expected = new LinkedHashSet<>(table.keyNames());
    if (index != null) {
      expected.add(index.hash.name());
      if (index.range != null) {
        expected.add(index.range.name());
      }
    }
    if (!start.keySet().equals(expected)) {
      throw DynamoError.validation(
          "The provided starting key is invalid: The provided key element does not match the schema");
    }
    var own = table.key(start);
    if (index == null) {
      return own;
    }
    return new Key(
        start.get(index.hash.name()),
        index.range == null ? null : start.get(index.range.name()),
        own.a(),
        own.b());
  }

  private static Index index(Table table, JsonNode request) {
    if (!request.hasNonNull("IndexName")) {
      return null;
    }
    var name = request.get("IndexName").asText();
    var index = table.indexes.get(name);
    if (index == null) {
      // The API reference lists ResourceNotFoundException for "a nonexistent table or index".
      throw new DynamoError(
          "ResourceNotFoundException",
          "Requested resource not found: Index: " + name + " not found");
    }
    return index;
  }

  // ================================================================ batches

  private ObjectNode batchGetItem(JsonNode request) {
    var requestItems = request.get("RequestItems");
    if (requestItems == null || !requestItems.isObject() || requestItems.isEmpty()) {
      throw DynamoError.validation(
          "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint:"
              + " Member must not be null");
    }
    int total = 0;
    for (var t : requestItems) {
      total += t.path("Keys").size();
    }
    if (total > 100) {
      throw DynamoError.validation("Too many items requested for the BatchGetItem call");
    }
    var reply = NODES.objectNode();
    var responses = reply.putObject("Responses");
    var capacities = NODES.arrayNode();
    for (var it = requestItems.fields(); it.hasNext(); ) {
      var e = it.next();
      var table = table(e.getKey());
      var spec = e.getValue();
      legacy(spec, "AttributesToGet");
      var expressions = expressions(spec);
      var projection = projection(spec, expressions);
      expressions.requireAllUsed();
      boolean consistent = spec.path("ConsistentRead").asBoolean(false);
      var keys = new LinkedHashSet<Key>();
      for (var k : list(spec, "Keys")) {
        if (!keys.add(key(table, k))) {
          throw DynamoError.validation("Provided list of item keys contains duplicates");
        }
      }
      if (keys.isEmpty()) {
        throw DynamoError.validation(
            "1 validation error detected: Value at 'requestItems."
                + table.name
                + ".member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1");
      }
      var found = responses.putArray(table.name);
      double units = 0;
      for (var key : keys) {
        var item = table.items.get(key);
        units += Table.readUnits(item == null ? 0 : Value.itemSize(item), consistent);
        if (item != null) {
          found.add(
              Value.toJson(projection == null ? item : Expressions.project(item, projection)));
        }
      }
      capacities.add(capacityEntry(request, table.name, units, Map.of()));
    }
    reply.putObject("UnprocessedKeys");
    if (wantsCapacity(request)) {
      reply.set("ConsumedCapacity", capacities);
    }
    return reply;
  }

  private ObjectNode batchWriteItem(JsonNode request) {
    var requestItems = request.get("RequestItems");
    if (requestItems == null || !requestItems.isObject() || requestItems.isEmpty()) {
      throw DynamoError.validation(
          "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint:"
              + " Member must not be null");
    }
    int total = 0;
    for (var t : requestItems) {
      total += t.size();
    }
    if (total > 25) {
      throw DynamoError.validation(
          "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map"
              + " value must satisfy constraint: [Member must have length less than or equal to 25,"
              + " Member must have length greater than or equal to 1]");
    }
    record Write(Table table, Key key, Map<String, Value> item) {}
    var writes = new ArrayList<Write>();
    for (var it = requestItems.fields(); it.hasNext(); ) {
      var e = it.next();
      var table = table(e.getKey());
      var keys = new HashSet<Key>();
      for (var w : e.getValue()) {
        Write write;
        if (w.has("PutRequest") && !w.has("DeleteRequest")) {
          var item = Value.item(w.get("PutRequest").get("Item"));
          validateItem(table, item, false);
          write = new Write(table, table.key(item), Map.copyOf(item));
        } else if (w.has("DeleteRequest") && !w.has("PutRequest")) {
          write = new Write(table, key(table, w.get("DeleteRequest").get("Key")), null);
        } else {
          throw DynamoError.validation(
              "Supplied AttributeValue has more than one datatypes set, must contain exactly one of"
                  + " the supported datatypes");
        }
        if (!keys.add(write.key())) {
          throw DynamoError.validation("Provided list of item keys contains duplicates");
        }
        writes.add(write);
      }
    }
    var units = new LinkedHashMap<String, double[]>();
    var indexUnits = new LinkedHashMap<String, Map<String, Double>>();
    for (var write : writes) {
      var used =
          writing(
              () -> {
                var old = write.table().items.get(write.key());
                if (write.item() == null && old == null) {
                  return new Table.WriteUnits(1, Map.of());
                }
                return write.table().store(write.key(), old, write.item());
              });
      units.computeIfAbsent(write.table().name, n -> new double[1])[0] += used.table();
      var perIndex = indexUnits.computeIfAbsent(write.table().name, n -> new LinkedHashMap<>());
      used.indexes().forEach((n, u) -> perIndex.merge(n, u, Double::sum));
    }
    var reply = NODES.objectNode();
    reply.putObject("UnprocessedItems");
    if (wantsCapacity(request)) {
      var capacities = reply.putArray("ConsumedCapacity");
      units.forEach(
          (name, u) -> capacities.add(capacityEntry(request, name, u[0], indexUnits.get(name))));
    }
    return reply;
  }

  // ================================================================ transactions

  private record Action(
      String kind,
      Table table,
      Key key,
      Map<String, Value> keyItem,
      Map<String, Value> item,
      Expressions.Update update,
      Condition condition,
      boolean returnOld) {}

  private ObjectNode transactWriteItems(JsonNode request) {
    var items = request.get("TransactItems");
    if (items == null || !items.isArray() || items.isEmpty() || items.size() > 100) {
      throw DynamoError.validation(
          "1 validation error detected: Value '"
              + (items == null ? "null" : "[" + items.size() + " items]")
              + "' at 'transactItems' failed to satisfy constraint: Member must have length less"
              + " than or equal to 100, Member must have length greater than or equal to 1");
    }
    var actions = new ArrayList<Action>();
    var seen = new HashSet<String>();
    for (var wrapper : items) {
      var kinds = new ArrayList<String>();
      wrapper.fieldNames().forEachRemaining(kinds::add);
      kinds.removeIf(k -> wrapper.get(k).isNull());
      if (kinds.size() != 1
          || !Set.of("ConditionCheck", "Put", "Delete", "Update").contains(kinds.getFirst())) {
        throw DynamoError.validation(
            "TransactItems can only contain one of Check, Put, Update or Delete");
      }
      var kind = kinds.getFirst();
      var spec = wrapper.get(kind);
      var table = table(spec);
      var expressions = expressions(spec);
      Key key;
      Map<String, Value> keyItem = null;
      Map<String, Value> item = null;
      Expressions.Update update = null;
      if (kind.equals("Put")) {
        item = Value.item(spec.get("Item"));
        validateItem(table, item, false);
        item = Map.copyOf(item);
        key = table.key(item);
      } else {
        key = key(table, spec.get("Key"));
        keyItem = keyItem(table, spec.get("Key"));
      }
      if (kind.equals("Update")) {
        if (!spec.hasNonNull("UpdateExpression")) {
          throw DynamoError.validation(
              "1 validation error detected: Value null at 'transactItems.member.update.updateExpression'"
                  + " failed to satisfy constraint: Member must not be null");
        }
        update = expressions.update(spec.get("UpdateExpression").asText());
        for (var path : update.paths()) {
          if (table.keyNames().contains(path.top())) {
            throw DynamoError.invalidParameter(
                "Cannot update attribute " + path.top() + ". This attribute is part of the key");
          }
        }
      }
      var condition = condition(spec, "ConditionExpression", expressions);
      if (kind.equals("ConditionCheck") && condition == null) {
        throw DynamoError.validation(
            "1 validation error detected: Value null at"
                + " 'transactItems.member.conditionCheck.conditionExpression' failed to satisfy"
                + " constraint: Member must not be null");
      }
      expressions.requireAllUsed();
      if (!seen.add(table.name + "\u0000" + key)) {
        throw DynamoError.validation(
            "Transaction request cannot include multiple operations on one item");
      }
      actions.add(
          new Action(kind, table, key, keyItem, item, update, condition, onConditionFailure(spec)));
    }
    var token = request.path("ClientRequestToken").asText(null);
    var digest = token == null ? null : digest(items.toString());
    return writing(
        () -> {
          var now = clock.instant();
          if (token != null) {
            var previous = tokens.get(token);
            if (previous != null && previous.expires().isAfter(now)) {
              if (!previous.digest().equals(digest)) {
                throw new DynamoError(
                    "IdempotentParameterMismatchException",
                    "DynamoDB rejected the request because you retried a request with a different"
                        + " payload but with an idempotent token that was already used.");
              }
              return previous.response().deepCopy();
            }
          }
          var next = new ArrayList<Map<String, Value>>();
          var reasons = NODES.arrayNode();
          boolean cancelled = false;
          for (var action : actions) {
            var old = action.table().items.get(action.key());
            var reason = reasons.addObject();
            Map<String, Value> after = old;
            if (action.condition() != null
                && !Expressions.test(old == null ? Map.of() : old, action.condition())) {
              reason.put("Code", "ConditionalCheckFailed");
              reason.put("Message", "The conditional request failed");
              if (action.returnOld() && old != null) {
                reason.set("Item", Value.toJson(old));
              }
              cancelled = true;
            } else {
              try {
                after =
                    switch (action.kind()) {
                      case "Put" -> action.item();
                      case "Delete" -> null;
                      case "Update" -> {
                        var applied =
                            Expressions.apply(
                                old != null ? old : action.keyItem(), action.update());
                        validateItem(action.table(), applied.item(), true);
                        yield Map.copyOf(applied.item());
                      }
                      default -> old;
                    };
                reason.put("Code", "None");
              } catch (DynamoError e) {
                reason.put("Code", "ValidationError");
                reason.put("Message", e.getMessage());
                cancelled = true;
              }
            }
            next.add(after);
          }
          if (cancelled) {
            var codes = new ArrayList<String>();
            reasons.forEach(r -> codes.add(r.get("Code").asText()));
            var extra = NODES.objectNode();
            extra.set("CancellationReasons", reasons);
            throw new DynamoError(
                400,
                "TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons "
                    + codes,
                extra);
          }
          var units = new LinkedHashMap<String, double[]>();
          var indexUnits = new LinkedHashMap<String, Map<String, Double>>();
          for (int i = 0; i < actions.size(); i++) {
            var action = actions.get(i);
            var old = action.table().items.get(action.key());
            double tableUnits;
            if (action.kind().equals("ConditionCheck")) {
              tableUnits = 2 * Table.readUnits(old == null ? 0 : Value.itemSize(old), true);
            } else if (old == null && next.get(i) == null) {
              tableUnits = 2;
            } else {
              var used = action.table().store(action.key(), old, next.get(i));
              tableUnits = 2 * used.table();
              var perIndex =
                  indexUnits.computeIfAbsent(action.table().name, n -> new LinkedHashMap<>());
              used.indexes().forEach((n, u) -> perIndex.merge(n, u, Double::sum));
            }
            units.computeIfAbsent(action.table().name, n -> new double[1])[0] += tableUnits;
          }
          var reply = NODES.objectNode();
          if (wantsCapacity(request)) {
            var capacities = reply.putArray("ConsumedCapacity");
            units.forEach(
                (name, u) ->
                    capacities.add(
                        capacityEntry(
                            request, name, u[0], indexUnits.getOrDefault(name, Map.of()))));
          }
          if (token != null) {
            tokens.remove(token);
            tokens.put(token, new Token(digest, now.plus(TOKEN_WINDOW), reply.deepCopy()));
          }
          return reply;
        });
  }

  private ObjectNode transactGetItems(JsonNode request) {
    var items = request.get("TransactItems");
    if (items == null || !items.isArray() || items.isEmpty() || items.size() > 100) {
      throw DynamoError.validation(
          "1 validation error detected: Value at 'transactItems' failed to satisfy constraint:"
              + " Member must have length less than or equal to 100, Member must have length"
              + " greater than or equal to 1");
    }
    var reply = NODES.objectNode();
    var responses = reply.putArray("Responses");
    var units = new LinkedHashMap<String, double[]>();
    var seen = new HashSet<String>();
    for (var wrapper : items) {
      var spec = wrapper.get("Get");
      if (spec == null) {
        throw DynamoError.validation("TransactItems can only contain Get");
      }
      var table = table(spec);
      var key = key(table, spec.get("Key"));
      if (!seen.add(table.name + "\u0000" + key)) {
        throw DynamoError.validation(
            "Transaction request cannot include multiple operations on one item");
      }
      var expressions = expressions(spec);
      var projection = projection(spec, expressions);
      expressions.requireAllUsed();
      var item = table.items.get(key);
      var entry = responses.addObject();
      if (item != null) {
        entry.set(
            "Item",
            Value.toJson(projection == null ? item : Expressions.project(item, projection)));
      }
      units.computeIfAbsent(table.name, n -> new double[1])[0] +=
          2 * Table.readUnits(item == null ? 0 : Value.itemSize(item), true);
    }
    if (wantsCapacity(request)) {
      var capacities = reply.putArray("ConsumedCapacity");
      units.forEach((name, u) -> capacities.add(capacityEntry(request, name, u[0], Map.of())));
    }
    return reply;
  }

  private static String digest(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ================================================================ validation helpers

  private Table table(JsonNode request) {
    return table(tableName(request));
  }

  private Table table(String name) {
    var table = tables.get(name);
    if (table == null) {
      throw DynamoError.notFound();
    }
    return table;
  }

  private static String tableName(JsonNode request) {
    var node = request.get("TableName");
    if (node == null || node.isNull()) {
      throw DynamoError.validation(
          "1 validation error detected: Value null at 'tableName' failed to satisfy constraint:"
              + " Member must not be null");
    }
    var name = node.asText();
    if (!TABLE_NAME.matcher(name).matches()) {
      throw DynamoError.validation(
          "1 validation error detected: Value '"
              + name
              + "' at 'tableName' failed to satisfy constraint: Member must satisfy regular"
              + " expression pattern: [a-zA-Z0-9_.-]+");
    }
    return name;
  }

  /** A key from the wire: exactly the table's key attributes, of their declared types. */
  private static Key key(Table table, JsonNode node) {
    return table.key(keyItem(table, node));
  }

  private static Map<String, Value> keyItem(Table table, JsonNode node) {
    if (node == null || node.isNull()) {
      throw DynamoError.validation(
          "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member"
              + " must not be null");
    }
    var key = Value.item(node);
    if (!key.keySet().equals(table.keyNames())) {
      throw DynamoError.validation("The provided key element does not match the schema");
    }
    for (var attribute : keyAttributes(table)) {
      var value = key.get(attribute.name());
      if (!value.type().equals(attribute.type())) {
        throw DynamoError.validation("The provided key element does not match the schema");
      }
      emptyKey(value, attribute.name());
    }
    return key;
  }

  private static List<Attribute> keyAttributes(Table table) {
    return table.range == null ? List.of(table.hash) : List.of(table.hash, table.range);
  }

  private static void emptyKey(Value value, String name) {
    if ((value instanceof Value.S s && s.value().isEmpty())
        || (value instanceof Value.B b && b.length() == 0)) {
      throw DynamoError.validation(
          "One or more parameter values are not valid. The AttributeValue for a key attribute"
              + " cannot contain an empty "
              + (value instanceof Value.S ? "string" : "binary")
              + " value. Key: "
              + name);
    }
  }

  /** Key attributes present and typed, index keys typed, and the 400 KB limit. */
  private static void validateItem(Table table, Map<String, Value> item, boolean updating) {
    for (var attribute : keyAttributes(table)) {
      var value = item.get(attribute.name());
      if (value == null) {
        throw DynamoError.invalidParameter("Missing the key " + attribute.name() + " in the item");
      }
      if (!value.type().equals(attribute.type())) {
        throw DynamoError.invalidParameter(
            "Type mismatch for key "
                + attribute.name()
                + " expected: "
                + attribute.type()
                + " actual: "
                + value.type());
      }
      emptyKey(value, attribute.name());
    }
    long hashBytes = keyBytes(item.get(table.hash.name()));
    if (hashBytes > 2048) {
      throw DynamoError.invalidParameter(
          "Size of hashkey has exceeded the maximum size limit of2048 bytes");
    }
    if (table.range != null && keyBytes(item.get(table.range.name())) > 1024) {
      throw DynamoError.invalidParameter(
          "Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
    }
    for (var index : table.indexes.values()) {
      for (var attribute :
          index.range == null ? List.of(index.hash) : List.of(index.hash, index.range)) {
        var value = item.get(attribute.name());
        if (value == null) {
          continue;
        }
        if (!value.type().equals(attribute.type())) {
          throw DynamoError.invalidParameter(
              "Type mismatch for Index Key "
                  + attribute.name()
                  + " Expected: "
                  + attribute.type()
                  + " Actual: "
                  + value.type()
                  + " IndexName: "
                  + index.name);
        }
        if ((value instanceof Value.S s && s.value().isEmpty())
            || (value instanceof Value.B b && b.length() == 0)) {
          throw DynamoError.validation(
              "One or more parameter values are not valid. A value specified for a secondary index"
                  + " key is not supported. The AttributeValue for a key attribute cannot contain an"
                  + " empty string value. IndexName: "
                  + index.name
                  + ", IndexKey: "
                  + attribute.name());
        }
      }
    }
    if (Value.itemSize(item) > MAX_ITEM_BYTES) {
      throw DynamoError.validation(
          updating
              ? "Item size to update has exceeded the maximum allowed size"
              : "Item size has exceeded the maximum allowed size");
    }
  }

  private static long keyBytes(Value value) {
    return value == null ? 0 : value.size();
  }

  private static Expressions expressions(JsonNode request) {
    Map<String, String> names = null;
    var namesNode = request.get("ExpressionAttributeNames");
    if (namesNode != null && !namesNode.isNull()) {
      names = new LinkedHashMap<>();
      for (var it = namesNode.fields(); it.hasNext(); ) {
        var e = it.next();
        names.put(e.getKey(), e.getValue().asText());
      }
      if (names.isEmpty()) {
        throw DynamoError.validation("ExpressionAttributeNames must not be empty");
      }
    }
    Map<String, Value> values = null;
    var valuesNode = request.get("ExpressionAttributeValues");
    if (valuesNode != null && !valuesNode.isNull()) {
      values = Value.item(valuesNode);
      if (values.isEmpty()) {
        throw DynamoError.validation("ExpressionAttributeValues must not be empty");
      }
      for (var name : values.keySet()) {
        if (!name.startsWith(":")) {
          throw DynamoError.validation(
              "ExpressionAttributeValues contains invalid key: Syntax error; key: \""
                  + name
                  + "\"");
        }
      }
    }
    boolean anyExpression = false;
    for (var field :
        List.of(
            "ConditionExpression",
            "FilterExpression",
            "KeyConditionExpression",
            "UpdateExpression",
            "ProjectionExpression")) {
      anyExpression |= request.hasNonNull(field);
    }
    if (!anyExpression && names != null) {
      throw DynamoError.validation(
          "ExpressionAttributeNames can only be specified when using expressions");
    }
    if (!anyExpression && values != null) {
      throw DynamoError.validation(
          "ExpressionAttributeValues can only be specified when using expressions");
    }
    return new Expressions(names, values);
  }

  private static Condition condition(JsonNode request, String field, Expressions expressions) {
    if (!request.hasNonNull(field)) {
      return null;
    }
    return expressions.condition(request.get(field).asText(), field);
  }

  private static List<Path> projection(JsonNode request, Expressions expressions) {
    if (!request.hasNonNull("ProjectionExpression")) {
      return null;
    }
    return expressions.projection(request.get("ProjectionExpression").asText());
  }

  private static String returnValues(JsonNode request, Set<String> allowed) {
    var value = request.path("ReturnValues").asText("NONE");
    if (!allowed.contains(value)) {
      if (allowed.size() == 2) {
        throw DynamoError.validation("ReturnValues can only be ALL_OLD or NONE");
      }
      throw DynamoError.validation(
          "1 validation error detected: Value '"
              + value
              + "' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value"
              + " set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
    }
    return value;
  }

  private static boolean onConditionFailure(JsonNode request) {
    var value = request.path("ReturnValuesOnConditionCheckFailure").asText("NONE");
    if (!Set.of("NONE", "ALL_OLD").contains(value)) {
      throw DynamoError.validation(
          "1 validation error detected: Value '"
              + value
              + "' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member"
              + " must satisfy enum value set: [ALL_OLD, NONE]");
    }
    return value.equals("ALL_OLD");
  }

  /** The legacy (pre-expression) parameters: refused by name rather than ignored. */
  private static void legacy(JsonNode request, String... fields) {
    for (var field : fields) {
      if (request.hasNonNull(field)) {
        throw DynamoError.validation(
            "The DynamoDB stand-in supports expressions only; use the expression parameter in"
                + " place of the legacy parameter "
                + field);
      }
    }
  }

  private static List<JsonNode> list(JsonNode request, String field) {
    var node = request.get(field);
    var list = new ArrayList<JsonNode>();
    if (node != null && node.isArray()) {
      node.forEach(list::add);
    }
    return list;
  }

  private static String text(JsonNode node, String field) {
    var v = node == null ? null : node.get(field);
    if (v == null || !v.isTextual()) {
      throw DynamoError.validation(
          "1 validation error detected: Value null at '"
              + Character.toLowerCase(field.charAt(0))
              + field.substring(1)
              + "' failed to satisfy constraint: Member must not be null");
    }
    return v.asText();
  }

  // ================================================================ consumed capacity

  private static boolean wantsCapacity(JsonNode request) {
    var mode = request.path("ReturnConsumedCapacity").asText("NONE");
    return mode.equals("TOTAL") || mode.equals("INDEXES");
  }

  private static void capacity(
      ObjectNode reply,
      JsonNode request,
      String table,
      double tableUnits,
      Map<String, Double> indexUnits,
      boolean write) {
    if (wantsCapacity(request)) {
      reply.set("ConsumedCapacity", capacityEntry(request, table, tableUnits, indexUnits));
    }
  }

  private static ObjectNode capacityEntry(
      JsonNode request, String table, double tableUnits, Map<String, Double> indexUnits) {
    var entry = NODES.objectNode();
    entry.put("TableName", table);
    double total = tableUnits;
    if (indexUnits != null) {
      for (var u : indexUnits.values()) {
        total += u;
      }
    }
    entry.put("CapacityUnits", total);
    if (request.path("ReturnConsumedCapacity").asText().equals("INDEXES")) {
      entry.putObject("Table").put("CapacityUnits", tableUnits);
      if (indexUnits != null && !indexUnits.isEmpty()) {
        var indexes = entry.putObject("GlobalSecondaryIndexes");
        indexUnits.forEach((n, u) -> indexes.putObject(n).put("CapacityUnits", u));
      }
    }
    return entry;
  }

  private static void capacityOnIndex(
      ObjectNode reply, JsonNode request, String table, Index index, double units) {
    if (!wantsCapacity(request)) {
      return;
    }
    var entry = NODES.objectNode();
    entry.put("TableName", table);
    entry.put("CapacityUnits", units);
    if (request.path("ReturnConsumedCapacity").asText().equals("INDEXES")) {
      entry.putObject("Table").put("CapacityUnits", 0.0);
      entry
          .putObject(index.global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes")
          .putObject(index.name)
          .put("CapacityUnits", units);
    }
    reply.set("ConsumedCapacity", entry);
  }
}
