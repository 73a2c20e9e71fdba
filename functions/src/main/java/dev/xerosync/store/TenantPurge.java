package dev.xerosync.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Removes a disconnected organisation's synced data on request ({@code ?purge=true}). */
public final class TenantPurge {
  private final DynamoDbClient dynamo;
  private final String table;

  public TenantPurge(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /**
   * Deletes the organisation's synced items (invoices, contacts, totals, views, credits, records,
   * write-back operations, organisation facts) and every credential of it (its API keys' listing
   * and lookup items). Each carries {@link Keys#TENANT_SHARD}, so one Query per shard of the sparse
   * {@link Keys#BY_TENANT} index finds them all, however many tenants share the table. The
   * connection item stays, to show the Disconnected state.
   */
  public int purge(String tenantId) {
    AtomicInteger deleted = new AtomicInteger();
    for (String shard : Keys.tenantShards(tenantId)) {
      Pages.forEachPage(
          dynamo,
          q ->
              q.tableName(table)
                  .indexName(Keys.BY_TENANT)
                  .keyConditionExpression(Keys.TENANT_SHARD + " = :s")
                  .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(shard))),
          page -> deleted.addAndGet(delete(page.items())));
    }
    return deleted.get();
  }

  /** Deletes one page's items, 25 to a batch. */
  private int delete(List<Map<String, AttributeValue>> items) {
    int deleted = 0;
    List<WriteRequest> batch = new ArrayList<>();
    for (var item : items) {
      var key = Keys.keyOf(item);
      batch.add(WriteRequest.builder().deleteRequest(d -> d.key(key)).build());
      if (batch.size() == 25) {
        deleted += write(batch);
        batch = new ArrayList<>();
      }
    }
    return deleted + write(batch);
  }

  private int write(List<WriteRequest> batch) {
    if (batch.isEmpty()) {
      return 0;
    }
    Map<String, List<WriteRequest>> pending = Map.of(table, batch);
    while (!pending.isEmpty()) {
      Map<String, List<WriteRequest>> request = pending;
      var r = dynamo.batchWriteItem(b -> b.requestItems(request));
      pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
    }
    return batch.size();
  }
}
