package dev.xerosync.infra.aws.dynamodb;

import static dev.xerosync.infra.aws.dynamodb.Requests.expressions;
import static dev.xerosync.infra.aws.dynamodb.Requests.key;
import static dev.xerosync.infra.aws.dynamodb.Requests.legacy;
import static dev.xerosync.infra.aws.dynamodb.Requests.list;
import static dev.xerosync.infra.aws.dynamodb.Requests.projection;
import static dev.xerosync.infra.aws.dynamodb.Requests.requestItems;
import static dev.xerosync.infra.aws.dynamodb.Requests.unique;
import static dev.xerosync.infra.aws.dynamodb.Requests.validateItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.aws.dynamodb.Table.Key;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * BatchGetItem and BatchWriteItem: up to 100 keys to read or 25 writes, each item applied on its
 * own (a batch is not a transaction), capacity summed per table.
 */
final class Batches {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Tables tables;

  Batches(Tables tables) {
    this.tables = tables;
  }

  ObjectNode batchGetItem(JsonNode request) {
    var requestItems = requestItems(request);
    int total = 0;
    for (var t : requestItems) {
      total += t.path("Keys").size();
    }
    if (total > 100) {
      throw DynamoError.validation("Too many items requested for the BatchGetItem call");
    }
    var reply = NODES.objectNode();
    var responses = reply.putObject("Responses");
    var capacity = new Capacity.Tally();
    for (var it = requestItems.fields(); it.hasNext(); ) {
      var e = it.next();
      var table = tables.table(e.getKey());
      var spec = e.getValue();
      legacy(spec, "AttributesToGet");
      var expressions = expressions(spec);
      var projection = projection(spec, expressions);
      expressions.requireAllUsed();
      boolean consistent = spec.path("ConsistentRead").asBoolean(false);
      var keys = new LinkedHashSet<Key>();
      for (var k : list(spec, "Keys")) {
        unique(keys, key(table, k));
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
              ValueJson.toJson(projection == null ? item : Evaluation.project(item, projection)));
        }
      }
      capacity.add(table.name, units);
    }
    reply.putObject("UnprocessedKeys");
    capacity.report(reply, request);
    return reply;
  }

  ObjectNode batchWriteItem(JsonNode request) {
    var requestItems = requestItems(request);
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
      var table = tables.table(e.getKey());
      var keys = new HashSet<Key>();
      for (var w : e.getValue()) {
        Write write;
        if (w.has("PutRequest") && !w.has("DeleteRequest")) {
          var item = ValueJson.item(w.get("PutRequest").get("Item"));
          validateItem(table, item, false);
          write = new Write(table, table.key(item), Map.copyOf(item));
        } else if (w.has("DeleteRequest") && !w.has("PutRequest")) {
          write = new Write(table, key(table, w.get("DeleteRequest").get("Key")), null);
        } else {
          throw DynamoError.validation(
              "Supplied AttributeValue has more than one datatypes set, must contain exactly one of"
                  + " the supported datatypes");
        }
        unique(keys, write.key());
        writes.add(write);
      }
    }
    var capacity = new Capacity.Tally();
    for (var write : writes) {
      var used =
          tables.writing(
              () -> {
                var old = write.table().items.get(write.key());
                if (write.item() == null && old == null) {
                  return new Table.WriteUnits(1, Map.of());
                }
                return write.table().store(write.key(), old, write.item());
              });
      capacity.add(write.table().name, used.table(), used.indexes());
    }
    var reply = NODES.objectNode();
    reply.putObject("UnprocessedItems");
    capacity.report(reply, request);
    return reply;
  }
}
