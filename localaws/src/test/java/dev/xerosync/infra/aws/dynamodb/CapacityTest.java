package dev.xerosync.infra.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ConsumedCapacity as DynamoDB reports it: only when asked, summed per table and per index. */
class CapacityTest {
  static ObjectNode request(String mode) {
    var request = JsonNodeFactory.instance.objectNode();
    if (mode != null) {
      request.put("ReturnConsumedCapacity", mode);
    }
    return request;
  }

  static Capacity.Tally batch() {
    var tally = new Capacity.Tally();
    tally.add("invoices", 2, Map.of("byStatus", 1.0));
    tally.add("tenants", 0.5);
    tally.add("invoices", 2, Map.of("byStatus", 1.0, "byDue", 1.0));
    return tally;
  }

  @Test
  void nothingIsReportedUnlessAsked() {
    var reply = JsonNodeFactory.instance.objectNode();

    batch().report(reply, request(null));
    batch().report(reply, request("NONE"));
    Capacity.report(reply, request("NONE"), "invoices", 1, Map.of());

    assertThat(reply.isEmpty()).isTrue();
  }

  @Test
  void totalSumsTheTableAndItsIndexesPerTableInTheOrderFirstMet() {
    var reply = JsonNodeFactory.instance.objectNode();

    batch().report(reply, request("TOTAL"));

    var capacity = reply.get("ConsumedCapacity");
    assertThat(capacity).hasSize(2);
    assertThat(capacity.get(0).get("TableName").asText()).isEqualTo("invoices");
    assertThat(capacity.get(0).get("CapacityUnits").asDouble()).isEqualTo(7.0);
    assertThat(capacity.get(0).has("Table")).isFalse();
    assertThat(capacity.get(1).get("TableName").asText()).isEqualTo("tenants");
    assertThat(capacity.get(1).get("CapacityUnits").asDouble()).isEqualTo(0.5);
  }

  @Test
  void indexesSplitsTheUnitsBetweenTheTableAndEachIndex() {
    var reply = JsonNodeFactory.instance.objectNode();

    batch().report(reply, request("INDEXES"));

    var invoices = reply.get("ConsumedCapacity").get(0);
    assertThat(invoices.get("Table").get("CapacityUnits").asDouble()).isEqualTo(4.0);
    var indexes = invoices.get("GlobalSecondaryIndexes");
    assertThat(indexes.get("byStatus").get("CapacityUnits").asDouble()).isEqualTo(2.0);
    assertThat(indexes.get("byDue").get("CapacityUnits").asDouble()).isEqualTo(1.0);
    assertThat(reply.get("ConsumedCapacity").get(1).has("GlobalSecondaryIndexes")).isFalse();
  }

  @Test
  void aReadOfAnIndexChargesTheIndexNotTheTable() {
    var reply = JsonNodeFactory.instance.objectNode();
    var index =
        new Table.Index(
            "byDue", false, new Table.Attribute("pk", "S"), null, "ALL", java.util.List.of());

    Capacity.reportOnIndex(reply, request("INDEXES"), "invoices", index, 1.5);

    var entry = reply.get("ConsumedCapacity");
    assertThat(entry.get("CapacityUnits").asDouble()).isEqualTo(1.5);
    assertThat(entry.get("Table").get("CapacityUnits").asDouble()).isEqualTo(0.0);
    assertThat(entry.get("LocalSecondaryIndexes").get("byDue").get("CapacityUnits").asDouble())
        .isEqualTo(1.5);
  }
}
