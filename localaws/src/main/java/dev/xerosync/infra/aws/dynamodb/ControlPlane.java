package dev.xerosync.infra.aws.dynamodb;

import static dev.xerosync.infra.aws.dynamodb.Requests.list;
import static dev.xerosync.infra.aws.dynamodb.Requests.tableName;
import static dev.xerosync.infra.aws.dynamodb.Requests.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.aws.dynamodb.Table.Attribute;
import dev.xerosync.infra.aws.dynamodb.Table.Index;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The table operations (CreateTable, DescribeTable, ListTables, DeleteTable and time to live), with
 * DynamoDB's validation of key schemas, billing modes and indexes.
 */
final class ControlPlane {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Tables tables;
  private final Clock clock;
  private final String region;
  private final String account;

  ControlPlane(Tables tables, Clock clock, String region, String account) {
    this.tables = tables;
    this.clock = clock;
    this.region = region;
    this.account = account;
  }

  ObjectNode createTable(JsonNode request) {
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
    return tables.writing(
        () -> {
          if (tables.putIfAbsent(table) != null) {
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

  ObjectNode describeTable(JsonNode request) {
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

  ObjectNode listTables(JsonNode request) {
    int limit = request.path("Limit").asInt(100);
    if (limit < 1 || limit > 100) {
      throw DynamoError.validation(
          "1 validation error detected: Value '"
              + limit
              + "' at 'limit' failed to satisfy constraint: Member must have value "
              + (limit < 1 ? "greater than or equal to 1" : "less than or equal to 100"));
    }
    var start = request.path("ExclusiveStartTableName").asText(null);
    var names = tables.names();
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

  ObjectNode deleteTable(JsonNode request) {
    var name = tableName(request);
    return tables.writing(
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

  ObjectNode updateTimeToLive(JsonNode request) {
    var table = tables.table(request);
    var spec = request.get("TimeToLiveSpecification");
    if (spec == null || !spec.has("AttributeName") || !spec.has("Enabled")) {
      throw DynamoError.validation(
          "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy"
              + " constraint: Member must not be null");
    }
    var attribute = text(spec, "AttributeName");
    boolean enabled = spec.get("Enabled").asBoolean();
    return tables.writing(
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

  ObjectNode describeTimeToLive(JsonNode request) {
    var table = tables.table(request);
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
}
