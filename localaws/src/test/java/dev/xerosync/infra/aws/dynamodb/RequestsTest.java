package dev.xerosync.infra.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.xerosync.infra.aws.dynamodb.Table.Attribute;
import dev.xerosync.infra.aws.dynamodb.Table.Index;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request checks several DynamoDB operations share, each with DynamoDB's message. */
class RequestsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  final Index byStatus =
      new Index("byStatus", true, new Attribute("status", "S"), null, "KEYS_ONLY", List.of());
  final Table table =
      new Table(
          "invoices",
          "arn:aws:dynamodb:local:000000000000:table/invoices",
          "id",
          Instant.EPOCH,
          new Attribute("pk", "S"),
          new Attribute("sk", "S"),
          List.of(new Attribute("pk", "S"), new Attribute("sk", "S")),
          "PAY_PER_REQUEST",
          JsonNodeFactory.instance.objectNode(),
          null,
          List.of(byStatus));

  static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  static Map<String, Value> item(Object... pairs) {
    var item = new LinkedHashMap<String, Value>();
    for (int i = 0; i < pairs.length; i += 2) {
      var v = pairs[i + 1];
      item.put(
          (String) pairs[i], v instanceof String s ? new Value.S(s) : new Value.N((BigDecimal) v));
    }
    return item;
  }

  @Test
  void aConsistentReadOfAGlobalIndexIsRefusedAndElsewhereAllowed() throws Exception {
    var consistent = json("{'ConsistentRead': true}");

    assertThat(Requests.consistentRead(consistent, null)).isTrue();
    assertThat(Requests.consistentRead(json("{}"), byStatus)).isFalse();
    assertThatThrownBy(() -> Requests.consistentRead(consistent, byStatus))
        .isInstanceOf(DynamoError.class)
        .hasMessage("Consistent reads are not supported on global secondary indexes");
  }

  @Test
  void anUpdateMayNotTouchAKeyAttribute() {
    var expressions = new Expressions(null, Map.of(":v", new Value.S("x")));

    Requests.requireKeysNotUpdated(table, expressions.update("SET note = :v"));
    assertThatThrownBy(
            () -> Requests.requireKeysNotUpdated(table, expressions.update("SET sk = :v")))
        .hasMessage(
            "One or more parameter values were invalid: Cannot update attribute sk. This attribute"
                + " is part of the key");
  }

  @Test
  void batchesRefuseAnEmptyRequestAndARepeatedKey() throws Exception {
    assertThatThrownBy(() -> Requests.requestItems(json("{'RequestItems': {}}")))
        .hasMessageContaining("Value null at 'requestItems'");

    var keys = new HashSet<Table.Key>();
    Requests.unique(keys, table.key(item("pk", "a", "sk", "1")));
    Requests.unique(keys, table.key(item("pk", "a", "sk", "2")));
    assertThatThrownBy(() -> Requests.unique(keys, table.key(item("pk", "a", "sk", "1"))))
        .hasMessage("Provided list of item keys contains duplicates");
  }

  @Test
  void aTransactionRefusesTwoOperationsOnOneItem() {
    var seen = new HashSet<String>();
    Requests.onePerItem(seen, table, table.key(item("pk", "a", "sk", "1")));

    assertThatThrownBy(
            () -> Requests.onePerItem(seen, table, table.key(item("pk", "a", "sk", "1"))))
        .hasMessage("Transaction request cannot include multiple operations on one item");
  }

  @Test
  void itemsNeedTypedNonEmptyKeysAndFitIn400Kilobytes() {
    Requests.validateItem(table, item("pk", "a", "sk", "1", "status", "DRAFT"), false);

    assertThatThrownBy(() -> Requests.validateItem(table, item("pk", "a"), false))
        .hasMessage("One or more parameter values were invalid: Missing the key sk in the item");
    assertThatThrownBy(() -> Requests.validateItem(table, item("pk", "a", "sk", ""), false))
        .hasMessageContaining("cannot contain an empty string value. Key: sk");
    assertThatThrownBy(
            () -> Requests.validateItem(table, item("pk", "a", "sk", "1", "status", ""), false))
        .hasMessageContaining("IndexName: byStatus, IndexKey: status");
    var big = item("pk", "a", "sk", "1", "body", "x".repeat(400 * 1024));
    assertThatThrownBy(() -> Requests.validateItem(table, big, false))
        .hasMessage("Item size has exceeded the maximum allowed size");
    assertThatThrownBy(() -> Requests.validateItem(table, big, true))
        .hasMessage("Item size to update has exceeded the maximum allowed size");
  }

  @Test
  void tableNamesFollowDynamoDbsPattern() throws Exception {
    assertThat(Requests.tableName(json("{'TableName': 'xero-sync.v1'}"))).isEqualTo("xero-sync.v1");
    assertThatThrownBy(() -> Requests.tableName(json("{'TableName': 'a b'}")))
        .hasMessageContaining("Member must satisfy regular expression pattern");
    assertThatThrownBy(() -> Requests.tableName(json("{}")))
        .hasMessageContaining("Value null at 'tableName'");
  }
}
