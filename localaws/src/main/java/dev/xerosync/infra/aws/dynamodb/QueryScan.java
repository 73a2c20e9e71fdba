package dev.xerosync.infra.aws.dynamodb;

import static dev.xerosync.infra.aws.dynamodb.Requests.condition;
import static dev.xerosync.infra.aws.dynamodb.Requests.consistentRead;
import static dev.xerosync.infra.aws.dynamodb.Requests.expressions;
import static dev.xerosync.infra.aws.dynamodb.Requests.index;
import static dev.xerosync.infra.aws.dynamodb.Requests.legacy;
import static dev.xerosync.infra.aws.dynamodb.Requests.limit;
import static dev.xerosync.infra.aws.dynamodb.Requests.projection;
import static dev.xerosync.infra.aws.dynamodb.Requests.startKey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.aws.dynamodb.Expressions.Condition;
import dev.xerosync.infra.aws.dynamodb.Expressions.Path;
import dev.xerosync.infra.aws.dynamodb.Table.Index;
import dev.xerosync.infra.aws.dynamodb.Table.Key;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Query and Scan: key conditions, filters, projections, Limit, paging by ExclusiveStartKey and the
 * 1 MB page, parallel scan segments, and the read capacity of what was evaluated.
 */
final class QueryScan {
  static final long PAGE_BYTES = 1024 * 1024;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Tables tables;

  QueryScan(Tables tables) {
    this.tables = tables;
  }

  ObjectNode query(JsonNode request) {
    var table = tables.table(request);
    legacy(request, "KeyConditions", "QueryFilter", "AttributesToGet", "ConditionalOperator");
    var index = index(table, request);
    boolean consistent = consistentRead(request, index);
    if (!request.hasNonNull("KeyConditionExpression")) {
      throw DynamoError.validation(
          "Either the KeyConditions or KeyConditionExpression parameter must be specified in the"
              + " request.");
    }
    var expressions = expressions(request);
    var hash = index == null ? table.hash : index.hash;
    var range = index == null ? table.range : index.range;
    var keyCondition =
        KeyCondition.parse(
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
    var selected = keyCondition.select(source);
    boolean forward = request.path("ScanIndexForward").asBoolean(true);
    if (start != null) {
      if (!start.a().equals(keyCondition.hash())) {
        throw DynamoError.validation(Requests.INVALID_START_KEY);
      }
      selected = forward ? selected.tailMap(start, false) : selected.headMap(start, false);
    }
    var walk =
        forward ? selected.entrySet().iterator() : selected.descendingMap().entrySet().iterator();
    return page(request, table, index, walk, limit, filter, projection, consistent, null);
  }

  ObjectNode scan(JsonNode request) {
    var table = tables.table(request);
    legacy(request, "ScanFilter", "AttributesToGet", "ConditionalOperator");
    var index = index(table, request);
    boolean consistent = consistentRead(request, index);
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
      if (filter != null && !Evaluation.test(item, filter)) {
        continue;
      }
      matched++;
      if (!count) {
        items.add(
            ValueJson.toJson(projection == null ? item : Evaluation.project(item, projection)));
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
      reply.set("LastEvaluatedKey", ValueJson.toJson(lastKey));
    }
    var units = Table.readUnits(bytes, consistent);
    if (index == null) {
      Capacity.report(reply, request, table.name, units, Map.of());
    } else {
      Capacity.reportOnIndex(reply, request, table.name, index, units);
    }
    return reply;
  }
}
