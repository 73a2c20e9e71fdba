package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

class PagesTest {
  /** A table that answers a query in pages of two items, as DynamoDB does past 1 MB. */
  private static final class PagedTable implements DynamoDbClient {
    final List<QueryRequest> requests = new ArrayList<>();
    final List<String> rows;
    final boolean emptyKeyAtEnd;

    PagedTable(List<String> rows, boolean emptyKeyAtEnd) {
      this.rows = rows;
      this.emptyKeyAtEnd = emptyKeyAtEnd;
    }

    @Override
    public QueryResponse query(QueryRequest request) {
      requests.add(request);
      int from =
          request.hasExclusiveStartKey()
              ? Integer.parseInt(request.exclusiveStartKey().get("sk").s()) + 1
              : 0;
      int to = Math.min(rows.size(), from + 2);
      var page = QueryResponse.builder();
      List<Map<String, AttributeValue>> items = new ArrayList<>();
      for (int i = from; i < to; i++) {
        items.add(Keys.key("P", Integer.toString(i)));
      }
      page.items(items);
      if (to < rows.size()) {
        page.lastEvaluatedKey(Keys.key("P", Integer.toString(to - 1)));
      } else if (emptyKeyAtEnd) {
        page.lastEvaluatedKey(Map.of());
      }
      return page.build();
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  }

  @Test
  void everyItemOnceInOrderAndEachPageContinuesTheLast() {
    var table = new PagedTable(List.of("a", "b", "c", "d", "e"), false);
    List<String> seen = new ArrayList<>();
    Pages.forEachItem(
        table,
        q -> q.tableName("t").keyConditionExpression("pk = :pk"),
        item -> seen.add(item.get("sk").s()));
    assertThat(seen).containsExactly("0", "1", "2", "3", "4");
    assertThat(table.requests).hasSize(3);
    assertThat(table.requests).allMatch(r -> r.tableName().equals("t"));
    assertThat(table.requests.get(0).hasExclusiveStartKey()).isFalse();
    assertThat(table.requests.get(2).exclusiveStartKey()).isEqualTo(Keys.key("P", "3"));
  }

  @Test
  void anEmptyLastEvaluatedKeyEndsTheQuery() {
    var table = new PagedTable(List.of("a"), true);
    List<Integer> pages = new ArrayList<>();
    Pages.forEachPage(table, q -> q.tableName("t"), page -> pages.add(page.items().size()));
    assertThat(pages).containsExactly(1);
  }
}
