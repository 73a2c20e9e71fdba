package dev.xerosync.infra.aws.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.aws.dynamodb.Expressions.Condition;
import dev.xerosync.infra.aws.dynamodb.Expressions.Path;
import dev.xerosync.infra.aws.dynamodb.Expressions.Update;
import dev.xerosync.infra.aws.dynamodb.Table.Attribute;
import dev.xerosync.infra.aws.dynamodb.Table.Index;
import dev.xerosync.infra.aws.dynamodb.Table.Key;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * DynamoDB's request validation, in one place for every operation: table names, keys, items and
 * their limits, expression parameters, ReturnValues, Limit, ExclusiveStartKey, indexes, and the
 * checks several operations share. Each refusal carries DynamoDB's error type and message.
 */
final class Requests {
  static final long MAX_ITEM_BYTES = 400 * 1024;

  private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

  static final String INVALID_START_KEY =
      "The provided starting key is invalid: The provided key element does not match the schema";

  private Requests() {}

  static String tableName(JsonNode request) {
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
  static Key key(Table table, JsonNode node) {
    return table.key(keyItem(table, node));
  }

  static Map<String, Value> keyItem(Table table, JsonNode node) {
    if (node == null || node.isNull()) {
      throw DynamoError.validation(
          "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member"
              + " must not be null");
    }
    var key = ValueJson.item(node);
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
    if (isEmpty(value)) {
      throw DynamoError.validation(
          "One or more parameter values are not valid. The AttributeValue for a key attribute"
              + " cannot contain an empty "
              + (value instanceof Value.S ? "string" : "binary")
              + " value. Key: "
              + name);
    }
  }

  /** Key attributes present and typed, index keys typed, and the 400 KB limit. */
  static void validateItem(Table table, Map<String, Value> item, boolean updating) {
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
        if (isEmpty(value)) {
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

  static Expressions expressions(JsonNode request) {
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
      values = ValueJson.item(valuesNode);
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

  static Condition condition(JsonNode request, String field, Expressions expressions) {
    if (!request.hasNonNull(field)) {
      return null;
    }
    return expressions.condition(request.get(field).asText(), field);
  }

  static List<Path> projection(JsonNode request, Expressions expressions) {
    if (!request.hasNonNull("ProjectionExpression")) {
      return null;
    }
    return expressions.projection(request.get("ProjectionExpression").asText());
  }

  static String returnValues(JsonNode request, Set<String> allowed) {
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

  static boolean onConditionFailure(JsonNode request) {
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
  static void legacy(JsonNode request, String... fields) {
    for (var field : fields) {
      if (request.hasNonNull(field)) {
        throw DynamoError.validation(
            "The DynamoDB stand-in supports expressions only; use the expression parameter in"
                + " place of the legacy parameter "
                + field);
      }
    }
  }

  static List<JsonNode> list(JsonNode request, String field) {
    var node = request.get(field);
    var list = new ArrayList<JsonNode>();
    if (node != null && node.isArray()) {
      node.forEach(list::add);
    }
    return list;
  }

  static String text(JsonNode node, String field) {
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

  static Integer limit(JsonNode request) {
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

  static Key startKey(Table table, Index index, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    var start = ValueJson.item(node);
    var expected = new LinkedHashSet<>(table.keyNames());
    if (index != null) {
      expected.add(index.hash.name());
      if (index.range != null) {
        expected.add(index.range.name());
      }
    }
    if (!start.keySet().equals(expected)) {
      throw DynamoError.validation(INVALID_START_KEY);
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

  static Index index(Table table, JsonNode request) {
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

  private static boolean isEmpty(Value value) {
    return (value instanceof Value.S s && s.value().isEmpty())
        || (value instanceof Value.B b && b.length() == 0);
  }

  /** ConsistentRead, which global secondary indexes refuse. */
  static boolean consistentRead(JsonNode request, Index index) {
    boolean consistent = request.path("ConsistentRead").asBoolean(false);
    if (consistent && index != null && index.global) {
      throw DynamoError.validation(
          "Consistent reads are not supported on global secondary indexes");
    }
    return consistent;
  }

  /** An update expression may not touch the table's key attributes. */
  static void requireKeysNotUpdated(Table table, Update update) {
    for (var path : update.paths()) {
      if (table.keyNames().contains(path.top())) {
        throw DynamoError.invalidParameter(
            "Cannot update attribute " + path.top() + ". This attribute is part of the key");
      }
    }
  }

  /** A batch's RequestItems: a non-empty map of table names. */
  static JsonNode requestItems(JsonNode request) {
    var requestItems = request.get("RequestItems");
    if (requestItems == null || !requestItems.isObject() || requestItems.isEmpty()) {
      throw DynamoError.validation(
          "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint:"
              + " Member must not be null");
    }
    return requestItems;
  }

  /** Adds a batch's key, refusing a key the batch already holds. */
  static void unique(Set<Key> keys, Key key) {
    if (!keys.add(key)) {
      throw DynamoError.validation("Provided list of item keys contains duplicates");
    }
  }

  /** Records a transaction's item, refusing a second operation on it. */
  static void onePerItem(Set<String> seen, Table table, Key key) {
    if (!seen.add(table.name + "\u0000" + key)) {
      throw DynamoError.validation(
          "Transaction request cannot include multiple operations on one item");
    }
  }
}
