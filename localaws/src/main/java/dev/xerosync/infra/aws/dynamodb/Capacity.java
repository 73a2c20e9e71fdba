package dev.xerosync.infra.aws.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.aws.dynamodb.Table.Index;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ConsumedCapacity in replies, only when the request asks for it (ReturnConsumedCapacity TOTAL or
 * INDEXES; NONE: "No ConsumedCapacity details are included in the response"). The units themselves
 * come from {@link Table#readUnits} and {@link Table#store}.
 */
final class Capacity {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Capacity() {}

  static boolean wanted(JsonNode request) {
    var mode = request.path("ReturnConsumedCapacity").asText("NONE");
    return mode.equals("TOTAL") || mode.equals("INDEXES");
  }

  private static boolean perIndex(JsonNode request) {
    return request.path("ReturnConsumedCapacity").asText().equals("INDEXES");
  }

  /** One table's capacity on a single-item reply: the table's units plus its indexes'. */
  static void report(
      ObjectNode reply,
      JsonNode request,
      String table,
      double tableUnits,
      Map<String, Double> indexUnits) {
    if (wanted(request)) {
      reply.set("ConsumedCapacity", entry(request, table, tableUnits, indexUnits));
    }
  }

  private static ObjectNode entry(
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
    if (perIndex(request)) {
      entry.putObject("Table").put("CapacityUnits", tableUnits);
      if (indexUnits != null && !indexUnits.isEmpty()) {
        var indexes = entry.putObject("GlobalSecondaryIndexes");
        indexUnits.forEach((n, u) -> indexes.putObject(n).put("CapacityUnits", u));
      }
    }
    return entry;
  }

  /** A Query or Scan of an index: the units are the index's, the table's are zero. */
  static void reportOnIndex(
      ObjectNode reply, JsonNode request, String table, Index index, double units) {
    if (!wanted(request)) {
      return;
    }
    var entry = NODES.objectNode();
    entry.put("TableName", table);
    entry.put("CapacityUnits", units);
    if (perIndex(request)) {
      entry.putObject("Table").put("CapacityUnits", 0.0);
      entry
          .putObject(index.global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes")
          .putObject(index.name)
          .put("CapacityUnits", units);
    }
    reply.set("ConsumedCapacity", entry);
  }

  /** Units summed per table, and per index, across the items of a batch or a transaction. */
  static final class Tally {
    private final Map<String, double[]> units = new LinkedHashMap<>();
    private final Map<String, Map<String, Double>> indexUnits = new LinkedHashMap<>();

    void add(String table, double tableUnits) {
      add(table, tableUnits, Map.of());
    }

    void add(String table, double tableUnits, Map<String, Double> indexes) {
      var perIndex = indexUnits.computeIfAbsent(table, n -> new LinkedHashMap<>());
      indexes.forEach((n, u) -> perIndex.merge(n, u, Double::sum));
      units.computeIfAbsent(table, n -> new double[1])[0] += tableUnits;
    }

    /** A ConsumedCapacity array, one entry per table in the order first met. */
    void report(ObjectNode reply, JsonNode request) {
      if (wanted(request)) {
        var capacities = reply.putArray("ConsumedCapacity");
        units.forEach(
            (name, u) -> capacities.add(entry(request, name, u[0], indexUnits.get(name))));
      }
    }
  }
}
