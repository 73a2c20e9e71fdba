package dev.xerosync.infra.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential conformance: the same DynamoDB requests go, byte for byte, to our stand-in and to
 * moto's server (an independent engine), and the replies must agree field by field. Only what
 * DynamoDB leaves unspecified is normalised: identifiers and timestamps of a table, approximate
 * counters (ItemCount and sizes are "updated approximately every six hours"), the order of set
 * elements and of Scan results, and the textual form of numbers.
 *
 * <p>Where moto departs from DynamoDB's documentation, the step checks our reply against the
 * documentation instead and names the page.
 */
class DynamoDbConformanceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTENT_TYPE = "application/x-amz-json-1.0";

  private static MotoServer moto;
  private static DynamoDbStandIn ours;
  private static final Set<String> compared = new TreeSet<>();

  @BeforeAll
  static void start() {
    moto = MotoServer.startOrSkip();
    ours = DynamoDbStandIn.start();
  }

  @AfterAll
  static void stop() {
    if (ours != null) {
      ours.close();
    }
    if (moto != null) {
      moto.close();
    }
    if (!compared.isEmpty()) {
      System.out.println(
          "dynamodb-conformance: " + compared.size() + " request kinds compared with moto");
    }
  }

  /** One table per test, so tests do not see each other's items. */
  private static final class Session {
    final String table = "conf-" + UUID.randomUUID().toString().substring(0, 8);

    MotoServer.Reply same(String kind, String operation, String body) {
      return same(kind, operation, body, false);
    }

    /** Sends to both, asserts the normalised replies are equal, returns ours. */
    MotoServer.Reply same(String kind, String operation, String body, boolean unordered) {
      var request = parse(body);
      var theirs = MotoServer.call(moto.endpoint(), CONTENT_TYPE, target(operation), request);
      var mine = MotoServer.call(ours.endpoint(), CONTENT_TYPE, target(operation), request);
      var description =
          String.format("%s: %s%nours:  %s%nmoto:  %s", kind, body, mine.body(), theirs.body());
      // moto adds ConsumedCapacity and ItemCollectionMetrics to replies that did not ask for
      // them; the API reference returns them only when requested (ReturnConsumedCapacity,
      // ReturnItemCollectionMetrics: "NONE - no ... details are returned"). Ours must not.
      boolean capacity =
          Set.of("TOTAL", "INDEXES").contains(request.path("ReturnConsumedCapacity").asText());
      if (mine.status() < 300) {
        if (!capacity) {
          assertThat(mine.body().has("ConsumedCapacity")).as(description).isFalse();
        }
        assertThat(mine.body().has("ItemCollectionMetrics")).as(description).isFalse();
      }
      assertThat(normalise(mine, unordered, capacity))
          .as(description)
          .isEqualTo(normalise(theirs, unordered, capacity));
      compared.add(operation + "/" + kind);
      return mine;
    }

    /**
     * Where moto departs from the documentation: both replies are checked, ours against the
     * documented behaviour, and the kind still counts as compared.
     */
    void documented(
        String kind,
        String operation,
        String body,
        String page,
        Consumer<MotoServer.Reply> expectation) {
      var request = parse(body);
      MotoServer.call(moto.endpoint(), CONTENT_TYPE, target(operation), request);
      var mine = MotoServer.call(ours.endpoint(), CONTENT_TYPE, target(operation), request);
      expectation.accept(mine);
      compared.add(operation + "/" + kind + " (per " + page + ")");
    }

    JsonNode parse(String body) {
      try {
        return JSON.readTree(body.replace("$T", table));
      } catch (Exception e) {
        throw new IllegalArgumentException(body, e);
      }
    }

    void createTable() {
      same(
          "with-gsis",
          "CreateTable",
          """
          {"TableName":"$T","BillingMode":"PAY_PER_REQUEST",
           "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},
             {"AttributeName":"sk","AttributeType":"S"},
             {"AttributeName":"gsi1pk","AttributeType":"S"},
             {"AttributeName":"gsi1sk","AttributeType":"S"}],
           "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},
             {"AttributeName":"sk","KeyType":"RANGE"}],
           "GlobalSecondaryIndexes":[{"IndexName":"ByContact",
             "KeySchema":[{"AttributeName":"gsi1pk","KeyType":"HASH"},
               {"AttributeName":"gsi1sk","KeyType":"RANGE"}],
             "Projection":{"ProjectionType":"ALL"}}]}
          """);
    }

    void put(String item) {
      same("plain", "PutItem", "{\"TableName\":\"$T\",\"Item\":" + item + "}");
    }
  }

  private static String target(String operation) {
    return "DynamoDB_20120810." + operation;
  }

  // ---------------------------------------------------------------- normalisation

  private static JsonNode normalise(MotoServer.Reply reply, boolean unordered, boolean capacity) {
    var out = JSON.createObjectNode();
    out.put("status", reply.status() < 300 ? "ok" : "error");
    if (reply.errorType() != null) {
      out.put("error", reply.errorType());
      var message =
          reply.body().has("message") ? reply.body().get("message") : reply.body().get("Message");
      out.put("message", message == null ? null : message.asText());
      for (var member : List.of("Item", "CancellationReasons")) {
        if (reply.body().has(member)) {
          out.set(member, canonical(reply.body().get(member)));
        }
      }
      return out;
    }
    var body = (ObjectNode) canonical(reply.body());
    body.remove("ItemCollectionMetrics");
    if (!capacity) {
      body.remove("ConsumedCapacity");
    }
    for (var description : List.of("TableDescription", "Table")) {
      if (body.get(description) instanceof ObjectNode table) {
        body.set(description, table(table));
      }
    }
    if (unordered && body.get("Items") instanceof ArrayNode items) {
      var sorted = new ArrayList<JsonNode>();
      items.forEach(sorted::add);
      sorted.sort(Comparator.comparing(JsonNode::toString));
      body.set("Items", JSON.valueToTree(sorted));
    }
    if (body.get("TableNames") instanceof ArrayNode names) {
      var ours = JSON.createArrayNode();
      names.forEach(
          n -> {
            if (n.asText().startsWith("conf-")) {
              ours.add(n);
            }
          });
      body.set("TableNames", ours);
    }
    out.set("body", body);
    return out;
  }

  /** The parts of a table description DynamoDB specifies (not ids, times, or counters). */
  private static JsonNode table(ObjectNode t) {
    var kept = JSON.createObjectNode();
    for (var field : List.of("TableName", "KeySchema", "TableStatus")) {
      if (t.has(field)) {
        kept.set(field, t.get(field));
      }
    }
    kept.set("AttributeDefinitions", sortedBy(t.get("AttributeDefinitions"), "AttributeName"));
    kept.put("BillingMode", t.path("BillingModeSummary").path("BillingMode").asText("PROVISIONED"));
    if (t.has("GlobalSecondaryIndexes")) {
      var indexes = JSON.createArrayNode();
      for (var i : sortedBy(t.get("GlobalSecondaryIndexes"), "IndexName")) {
        var index = JSON.createObjectNode();
        index.set("IndexName", i.get("IndexName"));
        index.set("KeySchema", i.get("KeySchema"));
        index.set("Projection", i.get("Projection"));
        index.set("IndexStatus", i.get("IndexStatus"));
        indexes.add(index);
      }
      kept.set("GlobalSecondaryIndexes", indexes);
    }
    return kept;
  }

  private static ArrayNode sortedBy(JsonNode array, String field) {
    var list = new ArrayList<JsonNode>();
    if (array != null) {
      array.forEach(list::add);
    }
    list.sort(Comparator.comparing(n -> n.path(field).asText()));
    return JSON.valueToTree(list);
  }

  /**
   * Sorts object members, set elements (sets have no order) and writes numbers in one form
   * (DynamoDB documents numbers as values, trimming leading and trailing zeros).
   */
  private static JsonNode canonical(JsonNode node) {
    if (node == null || node.isNull()) {
      return node;
    }
    if (node.isObject()) {
      var sorted = new TreeMap<String, JsonNode>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var e = it.next();
        JsonNode value = e.getValue();
        if (e.getKey().equals("N") && value.isTextual()) {
          value = JSON.getNodeFactory().textNode(number(value.asText()));
        } else if (Set.of("SS", "NS", "BS").contains(e.getKey()) && value.isArray()) {
          var elements = new TreeSet<String>();
          boolean numbers = e.getKey().equals("NS");
          value.forEach(v -> elements.add(numbers ? number(v.asText()) : v.asText()));
          var array = JSON.createArrayNode();
          elements.forEach(array::add);
          value = array;
        } else {
          value = canonical(value);
        }
        sorted.put(e.getKey(), value);
      }
      var out = JSON.createObjectNode();
      sorted.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      var out = JSON.createArrayNode();
      node.forEach(n -> out.add(canonical(n)));
      return out;
    }
    return node;
  }

  private static String number(String text) {
    try {
      var n = new BigDecimal(text);
      return n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return text;
    }
  }

  // ---------------------------------------------------------------- scenarios

  @Test
  void tablesAndTimeToLive() {
    var s = new Session();
    s.createTable();
    s.same("existing", "DescribeTable", "{\"TableName\":\"$T\"}");
    s.same("missing", "DescribeTable", "{\"TableName\":\"conf-missing\"}");
    s.same(
        "duplicate",
        "CreateTable",
        """
        {"TableName":"$T","BillingMode":"PAY_PER_REQUEST",
         "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
         "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}
        """);
    s.same(
        "enable",
        "UpdateTimeToLive",
        "{\"TableName\":\"$T\",\"TimeToLiveSpecification\":{\"AttributeName\":\"expiresAt\",\"Enabled\":true}}");
    s.same("enabled", "DescribeTimeToLive", "{\"TableName\":\"$T\"}");
    // moto answers ACTIVE; DynamoDB describes a table being deleted as DELETING.
    s.documented(
        "plain",
        "DeleteTable",
        "{\"TableName\":\"$T\"}",
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html",
        reply ->
            assertThat(reply.body().at("/TableDescription/TableStatus").asText())
                .isEqualTo("DELETING"));
    s.same(
        "after-delete",
        "GetItem",
        "{\"TableName\":\"$T\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"b\"}}}");
  }

  @Test
  void itemsConditionsAndReturnValues() {
    var s = new Session();
    s.createTable();
    s.put(
        """
        {"pk":{"S":"T#1"},"sk":{"S":"INV#1"},"status":{"S":"DRAFT"},"amount":{"N":"10.50"},
         "tags":{"SS":["b","a"]},"lines":{"L":[{"M":{"qty":{"N":"2"}}},{"S":"x"}]},
         "empty":{"S":""},"flag":{"BOOL":true},"none":{"NULL":true},"big":{"N":"12345678901234567890123456789012345678"}}
        """);
    s.same(
        "found",
        "GetItem",
        "{\"TableName\":\"$T\",\"Key\":{\"pk\":{\"S\":\"T#1\"},\"sk\":{\"S\":\"INV#1\"}},\"ConsistentRead\":true}");
    s.same(
        "absent",
        "GetItem",
        "{\"TableName\":\"$T\",\"Key\":{\"pk\":{\"S\":\"T#1\"},\"sk\":{\"S\":\"nope\"}}}");
    // moto misses a #name used before a list index ("#l[0].qty") and calls it unused; names may
    // stand for any element of a document path ("Expression attribute names").
    s.documented(
        "projection",
        "GetItem",
        """
        {"TableName":"$T","Key":{"pk":{"S":"T#1"},"sk":{"S":"INV#1"}},
         "ProjectionExpression":"#s, amount, #l[0].qty, tags","ExpressionAttributeNames":{"#s":"status","#l":"lines"}}
        """,
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html",
        reply ->
            assertThat(reply.body().get("Item").toString())
                .isEqualTo(
                    "{\"status\":{\"S\":\"DRAFT\"},\"amount\":{\"N\":\"10.5\"},\"lines\":{\"L\":[{\"M\":{\"qty\":{\"N\":\"2\"}}}]},\"tags\":{\"SS\":[\"b\",\"a\"]}}"));
    // moto's message here is a bare "Validation Exception"; GetItem's Key must hold every
    // attribute of the primary key.
    s.documented(
        "wrong-key",
        "GetItem",
        "{\"TableName\":\"$T\",\"Key\":{\"pk\":{\"S\":\"T#1\"}}}",
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html#DDB-GetItem-request-Key",
        reply -> {
          assertThat(reply.errorType()).isEqualTo("ValidationException");
          assertThat(reply.body().get("message").asText())
              .isEqualTo("The provided key element does not match the schema");
        });
    // moto drops the "Invalid " prefix that DynamoDB puts before the expression's name; the rule
    // itself (reserved words need a #name) is on the Reserved words page.
    s.documented(
        "reserved-word",
        "GetItem",
        "{\"TableName\":\"$T\",\"Key\":{\"pk\":{\"S\":\"T#1\"},\"sk\":{\"S\":\"INV#1\"}},\"ProjectionExpression\":\"status\"}",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ReservedWords.html",
        reply -> {
          assertThat(reply.errorType()).isEqualTo("ValidationException");
          assertThat(reply.body().get("message").asText())
              .isEqualTo(
                  "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved"
                      + " keyword: status");
        });
    s.same(
        "unused-name",
        "GetItem",
        """
        {"TableName":"$T","Key":{"pk":{"S":"T#1"},"sk":{"S":"INV#1"}},
         "ProjectionExpression":"amount","ExpressionAttributeNames":{"#s":"status"}}
        """);
    s.same(
        "condition-failed",
        "PutItem",
        """
        {"TableName":"$T","Item":{"pk":{"S":"T#1"},"sk":{"S":"INV#1"}},
         "ConditionExpression":"attribute_not_exists(pk)"}
        """);
    s.same(
        "condition-failed-all-old",
        "PutItem",
        """
        {"TableName":"$T","Item":{"pk":{"S":"T#1"},"sk":{"S":"INV#1"}},
         "ConditionExpression":"attribute_not_exists(pk)","ReturnValuesOnConditionCheckFailure":"ALL_OLD"}
        """);
    // moto lets PutItem through with a value no expression uses; DynamoDB refuses it.
    s.documented(
        "unused-value",
        "PutItem",
        """
        {"TableName":"$T","Item":{"pk":{"S":"T#1"},"sk":{"S":"INV#2"}},
         "ConditionExpression":"attribute_not_exists(pk)","ExpressionAttributeValues":{":x":{"S":"y"}}}
        """,
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeValues.html",
        reply ->
            assertThat(reply.body().get("message").asText())
                .isEqualTo(
                    "Value provided in ExpressionAttributeValues unused in expressions: keys:"
                        + " {:x}"));
    // moto fails with an internal error on a value the expression uses but does not define.
    s.documented(
        "undefined-value",
        "PutItem",
        """
        {"TableName":"$T","Item":{"pk":{"S":"T#1"},"sk":{"S":"INV#2"}},
         "ConditionExpression":"amount = :missing"}
        """,
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeValues.html",
        reply ->
            assertThat(reply.body().get("message").asText())
                .isEqualTo(
                    "Invalid ConditionExpression: An expression attribute value used in expression"
                        + " is not defined; attribute value: :missing"));
    // moto stores 39 digits; DynamoDB keeps "up to 38 digits of precision" and refuses more.
    s.documented(
        "39-digits",
        "PutItem",
        "{\"TableName\":\"$T\",\"Item\":{\"pk\":{\"S\":\"T#1\"},\"sk\":{\"S\":\"N\"},\"n\":{\"N\":\"123456789012345678901234567890123456789\"}}}",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number",
        reply -> assertThat(reply.errorType()).isEqualTo("ValidationException"));
    // moto still words this as before empty strings became valid outside keys (2020).
    s.documented(
        "empty-key",
        "PutItem",
        "{\"TableName\":\"$T\",\"Item\":{\"pk\":{\"S\":\"\"},\"sk\":{\"S\":\"x\"}}}",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.String",
        reply -> assertThat(reply.errorType()).isEqualTo("ValidationException"));
    s.same("missing-key", "PutItem", "{\"TableName\":\"$T\",\"Item\":{\"pk\":{\"S\":\"a\"}}}");
    s.same(
        "all-old",
        "PutItem",
        """
        {"TableName":"$T","Item":{"pk":{"S":"T#1"},"sk":{"S":"INV#1"},"status":{"S":"PAID"},"amount":{"N":"10.5"}},
         "ConditionExpression":"#s = :d AND amount BETWEEN :lo AND :hi AND contains(tags, :a) AND size(#l) = :two",
         "ExpressionAttributeNames":{"#s":"status","#l":"lines"},
         "ExpressionAttributeValues":{":d":{"S":"DRAFT"},":lo":{"N":"10"},":hi":{"N":"11"},":a":{"S":"a"},":two":{"N":"2"}},
         "ReturnValues":"ALL_OLD"}
        """);
    s.same(
        "delete-all-old",
        "DeleteItem",
        """
        {"TableName":"$T","Key":{"pk":{"S":"T#1"},"sk":{"S":"INV#1"}},"ReturnValues":"ALL_OLD",
         "ConditionExpression":"attribute_type(amount, :n)","ExpressionAttributeValues":{":n":{"S":"N"}}}
        """);
    s.same(
        "delete-condition-failed",
        "DeleteItem",
        """
        {"TableName":"$T","Key":{"pk":{"S":"T#1"},"sk":{"S":"INV#1"}},
         "ConditionExpression":"attribute_exists(pk)"}
        """);
  }

  @Test
  void updateExpressions() {
    var s = new Session();
    s.createTable();
    s.same(
        "add-on-missing",
        "UpdateItem",
        """
        {"TableName":"$T","Key":{"pk":{"S":"R#1"},"sk":{"S":"BUDGET"}},
         "UpdateExpression":"ADD calls :one SET expiresAt = :ttl",
         "ConditionExpression":"attribute_not_exists(calls) OR calls < :limit",
         "ExpressionAttributeValues":{":one":{"N":"1"},":ttl":{"N":"1800000000"},":limit":{"N":"2"}},
         "ReturnValues":"ALL_NEW"}
        """);
    s.same(
        "add-again",
        "UpdateItem",
        """
        {"TableName":"$T","Key":{"pk":{"S":"R#1"},"sk":{"S":"BUDGET"}},
         "UpdateExpression":"ADD calls :one SET expiresAt = :ttl",
         "ConditionExpression":"attribute_not_exists(calls) OR calls < :limit",
         "ExpressionAttributeValues":{":one":{"N":"1"},":ttl":{"N":"1800000060"},":limit":{"N":"2"}},
         "ReturnValues":"UPDATED_NEW"}
        """);
    s.same(
        "condition-failed",
        "UpdateItem",
        """
        {"TableName":"$T","Key":{"pk":{"S":"R#1"},"sk":{"S":"BUDGET"}},
         "UpdateExpression":"ADD calls :one SET expiresAt = :ttl",
         "ConditionExpression":"attribute_not_exists(calls) OR calls < :limit",
         "ExpressionAttributeValues":{":one":{"N":"1"},":ttl":{"N":"1800000000"},":limit":{"N":"2"}},
         "ReturnValuesOnConditionCheckFailure":"ALL_OLD"}
        """);
    s.same(
        "set-arithmetic-functions",
        "UpdateItem",
        """
        {"TableName":"$T","Key":{"pk":{"S":"R#1"},"sk":{"S":"BUDGET"}},
         "UpdateExpression":"SET calls = calls - :one, pinnedAt = if_not_exists(pinnedAt, :at), hist = list_append(if_not_exists(hist, :empty), :l), m = :m ADD tags :ss",
         "ExpressionAttributeValues":{":one":{"N":"1"},":at":{"S":"2026-11-29"},":empty":{"L":[]},
           ":l":{"L":[{"N":"1"}]},":m":{"M":{"a":{"N":"1"}}},":ss":{"SS":["x","y"]}},
         "ReturnValues":"UPDATED_OLD"}
        """);
    s.same(
        "nested-remove-delete",
        "UpdateItem",
        """
        {"TableName":"$T","Key":{"pk":{"S":"R#1"},"sk":{"S":"BUDGET"}},
         "UpdateExpression":"SET m.b = :two, pinnedAt = if_not_exists(pinnedAt, :later) REMOVE expiresAt DELETE tags :x",
         "ExpressionAttributeValues":{":two":{"N":"2"},":later":{"S":"2027"},":x":{"SS":["x"]}},
         "ReturnValues":"ALL_NEW"}
        """);
    s.same(
        "key-attribute",
        "UpdateItem",
        """
        {"TableName":"$T","Key":{"pk":{"S":"R#1"},"sk":{"S":"BUDGET"}},
         "UpdateExpression":"SET sk = :v","ExpressionAttributeValues":{":v":{"S":"x"}}}
        """);
    s.same(
        "overlapping-paths",
        "UpdateItem",
        """
        {"TableName":"$T","Key":{"pk":{"S":"R#1"},"sk":{"S":"BUDGET"}},
         "UpdateExpression":"SET a = :v REMOVE a","ExpressionAttributeValues":{":v":{"S":"x"}}}
        """);
    s.same(
        "wrong-type-add",
        "UpdateItem",
        """
        {"TableName":"$T","Key":{"pk":{"S":"R#1"},"sk":{"S":"BUDGET"}},
         "UpdateExpression":"ADD pinnedAt :one","ExpressionAttributeValues":{":one":{"N":"1"}}}
        """);
    s.same(
        "exact-38-digits",
        "UpdateItem",
        """
        {"TableName":"$T","Key":{"pk":{"S":"R#1"},"sk":{"S":"BUDGET"}},
         "UpdateExpression":"SET amount = :a","ExpressionAttributeValues":{":a":{"N":"0.1234567890123456789012345678901234567"}},
         "ReturnValues":"UPDATED_NEW"}
        """);
    s.same(
        "reserved-word-unescaped",
        "UpdateItem",
        """
        {"TableName":"$T","Key":{"pk":{"S":"R#1"},"sk":{"S":"BUDGET"}},
         "UpdateExpression":"SET status = :a","ExpressionAttributeValues":{":a":{"S":"x"}}}
        """);
  }

  @Test
  void queriesOnTableAndIndexWithFiltersAndPages() {
    var s = new Session();
    s.createTable();
    for (int i = 1; i <= 12; i++) {
      var gsi =
          i % 4 == 0
              ? "" // every fourth item lacks the index key: a sparse index skips it
              : ",\"gsi1pk\":{\"S\":\"C#"
                  + (i % 2)
                  + "\"},\"gsi1sk\":{\"S\":\"2026-11-"
                  + (10 + i)
                  + "\"}";
      s.put(
          "{\"pk\":{\"S\":\"T#1\"},\"sk\":{\"S\":\"INV#"
              + String.format("%02d", i)
              + "\"},\"amount\":{\"N\":\""
              + i * 10
              + "\"},\"type\":{\"S\":\""
              + (i % 3 == 0 ? "ACCPAY" : "ACCREC")
              + "\"}"
              + gsi
              + "}");
    }
    s.put("{\"pk\":{\"S\":\"T#2\"},\"sk\":{\"S\":\"INV#01\"}}");
    s.same("partition", "Query", query("pk = :p", "{\":p\":{\"S\":\"T#1\"}}", ""));
    s.same(
        "begins-with-backwards",
        "Query",
        query(
            "pk = :p AND begins_with(sk, :s)",
            "{\":p\":{\"S\":\"T#1\"},\":s\":{\"S\":\"INV#1\"}}",
            ",\"ScanIndexForward\":false"));
    s.same(
        "between",
        "Query",
        query(
            "pk = :p AND sk BETWEEN :a AND :b",
            "{\":p\":{\"S\":\"T#1\"},\":a\":{\"S\":\"INV#03\"},\":b\":{\"S\":\"INV#07\"}}",
            ""));
    for (var op : List.of("<", "<=", ">", ">=", "=")) {
      s.same(
          "sort-" + op,
          "Query",
          query(
              "pk = :p AND sk " + op + " :s",
              "{\":p\":{\"S\":\"T#1\"},\":s\":{\"S\":\"INV#05\"}}",
              ""));
    }
    s.same(
        "filter-functions",
        "Query",
        query(
            "pk = :p",
            "{\":p\":{\"S\":\"T#1\"},\":t\":{\"S\":\"ACCREC\"},\":a\":{\"N\":\"30\"},\":b\":{\"N\":\"90\"},\":c\":{\"S\":\"C#\"}}",
            ",\"FilterExpression\":\"#t IN (:t) AND NOT amount IN (:a, :b) AND (begins_with(gsi1pk, :c) OR attribute_not_exists(gsi1pk))\",\"ExpressionAttributeNames\":{\"#t\":\"type\"}"));
    s.same(
        "sparse-index",
        "Query",
        """
        {"TableName":"$T","IndexName":"ByContact","KeyConditionExpression":"gsi1pk = :c AND gsi1sk >= :d",
         "ExpressionAttributeValues":{":c":{"S":"C#1"},":d":{"S":"2026-11-12"}},"ScanIndexForward":false}
        """);
    s.same(
        "index-consistent-read",
        "Query",
        """
        {"TableName":"$T","IndexName":"ByContact","KeyConditionExpression":"gsi1pk = :c",
         "ExpressionAttributeValues":{":c":{"S":"C#1"}},"ConsistentRead":true}
        """);
    // The error type is the documented one; moto's message is its own, so only the type counts.
    s.documented(
        "unknown-index",
        "Query",
        """
        {"TableName":"$T","IndexName":"Nope","KeyConditionExpression":"gsi1pk = :c",
         "ExpressionAttributeValues":{":c":{"S":"C#1"}}}
        """,
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#API_Query_Errors",
        reply -> assertThat(reply.errorType()).isEqualTo("ResourceNotFoundException"));
    s.same("missing-partition-key", "Query", query("sk = :s", "{\":s\":{\"S\":\"INV#01\"}}", ""));
    // Limit counts items evaluated before the filter; walk every page.
    JsonNode start = null;
    int pages = 0;
    do {
      var body =
          query(
              "pk = :p",
              "{\":p\":{\"S\":\"T#1\"},\":t\":{\"S\":\"ACCPAY\"}}",
              ",\"Limit\":5,\"FilterExpression\":\"#t = :t\",\"ExpressionAttributeNames\":{\"#t\":\"type\"}"
                  + (start == null ? "" : ",\"ExclusiveStartKey\":" + start));
      var reply = s.same("limit-filter-pages", "Query", body);
      start = reply.body().get("LastEvaluatedKey");
      pages++;
    } while (start != null && pages < 10);
    assertThat(pages).isEqualTo(3);
    // The page that stops at the last item: the Query page documents that LastEvaluatedKey may be
    // present although nothing follows ("does not necessarily mean that there is more data").
    s.documented(
        "limit-at-end",
        "Query",
        query("pk = :p", "{\":p\":{\"S\":\"T#2\"}}", ",\"Limit\":1"),
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#DDB-Query-response-LastEvaluatedKey",
        reply -> assertThat(reply.body().get("Count").asInt()).isEqualTo(1));
  }

  private static String query(String key, String values, String more) {
    return "{\"TableName\":\"$T\",\"KeyConditionExpression\":\""
        + key
        + "\",\"ExpressionAttributeValues\":"
        + values
        + more
        + "}";
  }

  @Test
  void scansBatchesAndSegments() {
    var s = new Session();
    s.createTable();
    var writes = new StringBuilder();
    for (int i = 0; i < 25; i++) {
      writes.append(i == 0 ? "" : ",");
      writes.append(
          "{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"P#"
              + (i % 7)
              + "\"},\"sk\":{\"S\":\""
              + i
              + "\"},\"n\":{\"N\":\""
              + i
              + "\"}}}}");
    }
    s.same("25-puts", "BatchWriteItem", "{\"RequestItems\":{\"$T\":[" + writes + "]}}");
    // moto takes 26; BatchWriteItem takes "up to 25 put or delete requests".
    s.documented(
        "26-puts",
        "BatchWriteItem",
        "{\"RequestItems\":{\"$T\":["
            + writes
            + ",{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"P#0\"},\"sk\":{\"S\":\"0\"},\"n\":{\"N\":\"0\"}}}}]}}",
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html",
        reply -> assertThat(reply.errorType()).isEqualTo("ValidationException"));
    s.same(
        "duplicate-keys",
        "BatchWriteItem",
        "{\"RequestItems\":{\"$T\":[{\"DeleteRequest\":{\"Key\":{\"pk\":{\"S\":\"P#0\"},\"sk\":{\"S\":\"0\"}}}},{\"DeleteRequest\":{\"Key\":{\"pk\":{\"S\":\"P#0\"},\"sk\":{\"S\":\"0\"}}}}]}}");
    s.same(
        "projection",
        "BatchGetItem",
        """
        {"RequestItems":{"$T":{"Keys":[{"pk":{"S":"P#0"},"sk":{"S":"0"}},{"pk":{"S":"P#1"},"sk":{"S":"1"}},
          {"pk":{"S":"P#9"},"sk":{"S":"9"}}],"ProjectionExpression":"sk, n"}}}
        """,
        true);
    s.same("all", "Scan", "{\"TableName\":\"$T\"}", true);
    s.same(
        "filter",
        "Scan",
        "{\"TableName\":\"$T\",\"FilterExpression\":\"n >= :a\",\"ExpressionAttributeValues\":{\":a\":{\"N\":\"20\"}}}",
        true);
    s.same(
        "segment-out-of-range", "Scan", "{\"TableName\":\"$T\",\"Segment\":2,\"TotalSegments\":2}");
    // Segments split the table between them; which item lands in which is unspecified.
    var union = new TreeSet<String>();
    for (int segment = 0; segment < 3; segment++) {
      var mine =
          MotoServer.call(
              ours.endpoint(),
              CONTENT_TYPE,
              target("Scan"),
              s.parse("{\"TableName\":\"$T\",\"Segment\":" + segment + ",\"TotalSegments\":3}"));
      mine.body().get("Items").forEach(i -> assertThat(union.add(i.toString())).isTrue());
    }
    assertThat(union).hasSize(25);
  }

  @Test
  void transactions() {
    var s = new Session();
    s.createTable();
    s.put("{\"pk\":{\"S\":\"T#1\"},\"sk\":{\"S\":\"INV#1\"},\"updatedMs\":{\"N\":\"5\"}}");
    var ok =
        """
        {"TransactItems":[
          {"Put":{"TableName":"$T","Item":{"pk":{"S":"T#1"},"sk":{"S":"INV#1"},"updatedMs":{"N":"6"}},
            "ConditionExpression":"updatedMs = :seen","ExpressionAttributeValues":{":seen":{"N":"5"}}}},
          {"Update":{"TableName":"$T","Key":{"pk":{"S":"T#1"},"sk":{"S":"TOTALS"}},
            "UpdateExpression":"ADD unpaidCount :c, unpaidAmount :a",
            "ExpressionAttributeValues":{":c":{"N":"1"},":a":{"N":"12.34"}}}}],
         "ClientRequestToken":"token-one"}
        """;
    s.same("put-and-update", "TransactWriteItems", ok);
    // moto ignores ClientRequestToken; the API reference makes a repeat within 10 minutes succeed
    // without writing again, and a different request with the same token fail.
    var tokens =
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html#DDB-TransactWriteItems-request-ClientRequestToken";
    s.documented(
        "idempotent-retry",
        "TransactWriteItems",
        ok,
        tokens,
        reply -> assertThat(reply.status()).isEqualTo(200));
    s.documented(
        "token-reused-differently",
        "TransactWriteItems",
        ok.replace("12.34", "99"),
        tokens,
        reply -> assertThat(reply.errorType()).isEqualTo("IdempotentParameterMismatchException"));
    s.same(
        "cancelled-in-order",
        "TransactWriteItems",
        """
        {"TransactItems":[
          {"ConditionCheck":{"TableName":"$T","Key":{"pk":{"S":"T#1"},"sk":{"S":"TOTALS"}},
            "ConditionExpression":"attribute_exists(pk)"}},
          {"Put":{"TableName":"$T","Item":{"pk":{"S":"T#1"},"sk":{"S":"INV#1"}},
            "ConditionExpression":"attribute_not_exists(pk)","ReturnValuesOnConditionCheckFailure":"ALL_OLD"}},
          {"Delete":{"TableName":"$T","Key":{"pk":{"S":"T#1"},"sk":{"S":"INV#2"}}}}]}
        """);
    s.same(
        "same-item-twice",
        "TransactWriteItems",
        """
        {"TransactItems":[
          {"Delete":{"TableName":"$T","Key":{"pk":{"S":"T#1"},"sk":{"S":"INV#1"}}}},
          {"Delete":{"TableName":"$T","Key":{"pk":{"S":"T#1"},"sk":{"S":"INV#1"}}}}]}
        """);
    s.same(
        "after-cancel-nothing-changed",
        "GetItem",
        "{\"TableName\":\"$T\",\"Key\":{\"pk\":{\"S\":\"T#1\"},\"sk\":{\"S\":\"TOTALS\"}},\"ConsistentRead\":true}");
    s.same(
        "get",
        "TransactGetItems",
        """
        {"TransactItems":[{"Get":{"TableName":"$T","Key":{"pk":{"S":"T#1"},"sk":{"S":"INV#1"}}}},
          {"Get":{"TableName":"$T","Key":{"pk":{"S":"T#1"},"sk":{"S":"none"}}}}]}
        """);
  }

  /**
   * moto reports one unit whatever the size; the rules are on "Read/write capacity mode": a write
   * unit per 1 KB, a read unit per 4 KB, half of it for an eventually consistent read, and every
   * index whose entry is written counts too.
   */
  @Test
  void consumedCapacity() {
    var s = new Session();
    s.createTable();
    var page =
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html";
    // pk+a (3) + sk+b (3) + v+5000 characters (5001) = 5007 bytes.
    var item =
        "{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"b\"},\"gsi1pk\":{\"S\":\"c\"},\"gsi1sk\":{\"S\":\"d\"},\"v\":{\"S\":\""
            + "x".repeat(4990)
            + "\"}}";
    s.documented(
        "put-5kb-indexes",
        "PutItem",
        "{\"TableName\":\"$T\",\"Item\":" + item + ",\"ReturnConsumedCapacity\":\"INDEXES\"}",
        page,
        reply -> {
          var c = reply.body().get("ConsumedCapacity");
          assertThat(c.get("CapacityUnits").asDouble()).isEqualTo(10.0);
          assertThat(c.at("/Table/CapacityUnits").asDouble()).isEqualTo(5.0);
          assertThat(c.at("/GlobalSecondaryIndexes/ByContact/CapacityUnits").asDouble())
              .isEqualTo(5.0);
        });
    s.documented(
        "get-eventually-consistent",
        "GetItem",
        "{\"TableName\":\"$T\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"b\"}},\"ReturnConsumedCapacity\":\"TOTAL\"}",
        page,
        reply ->
            assertThat(reply.body().at("/ConsumedCapacity/CapacityUnits").asDouble())
                .isEqualTo(1.0));
    s.documented(
        "get-consistent",
        "GetItem",
        "{\"TableName\":\"$T\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"b\"}},\"ConsistentRead\":true,\"ReturnConsumedCapacity\":\"TOTAL\"}",
        page,
        reply ->
            assertThat(reply.body().at("/ConsumedCapacity/CapacityUnits").asDouble())
                .isEqualTo(2.0));
    s.documented(
        "query-index-page",
        "Query",
        "{\"TableName\":\"$T\",\"IndexName\":\"ByContact\",\"KeyConditionExpression\":\"gsi1pk = :c\",\"ExpressionAttributeValues\":{\":c\":{\"S\":\"c\"}},\"ReturnConsumedCapacity\":\"TOTAL\"}",
        page,
        reply ->
            assertThat(reply.body().at("/ConsumedCapacity/CapacityUnits").asDouble())
                .isEqualTo(1.0));
    s.documented(
        "transaction-doubled",
        "TransactWriteItems",
        "{\"TransactItems\":[{\"Delete\":{\"TableName\":\"$T\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"b\"}}}}],\"ReturnConsumedCapacity\":\"TOTAL\"}",
        page,
        reply ->
            assertThat(reply.body().at("/ConsumedCapacity/0/CapacityUnits").asDouble())
                .isEqualTo(15.0));
  }
}
