package dev.xerosync.store;

import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reading a whole query, a page (one Query, at most 1 MB) at a time: each page continues from the
 * last one's LastEvaluatedKey, and the query ends at a page without one.
 */
final class Pages {
  private Pages() {}

  /** Hands every item of the query to {@code each}, in the query's order. */
  static void forEachItem(
      DynamoDbClient dynamo,
      Consumer<QueryRequest.Builder> query,
      Consumer<Map<String, AttributeValue>> each) {
    forEachPage(dynamo, query, page -> page.items().forEach(each));
  }

  /** Hands every page of the query to {@code each}, for work done a page at a time. */
  static void forEachPage(
      DynamoDbClient dynamo, Consumer<QueryRequest.Builder> query, Consumer<QueryResponse> each) {
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder request = QueryRequest.builder();
      query.accept(request);
      if (start != null) {
        request.exclusiveStartKey(start);
      }
      QueryResponse page = dynamo.query(request.build());
      each.accept(page);
      start = next(page);
    } while (start != null);
  }

  /** Where the next page starts, or null after the last page. */
  static @Nullable Map<String, AttributeValue> next(QueryResponse page) {
    return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
        ? page.lastEvaluatedKey()
        : null;
  }
}
