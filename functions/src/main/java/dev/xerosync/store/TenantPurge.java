package dev.xerosync.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
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
    int deleted = 0;
    for (String shard : Keys.tenantShards(tenantId)) {
      Map<String, AttributeValue> start = null;
      do {
        Map<String, AttributeValue> from = start;
        QueryResponse page =
            dynamo.query(
                q -> {
                  q.tableName(table)
                      .indexName(Keys.BY_TENANT)
                      .keyConditionExpression(Keys.TENANT_SHARD + " = :s")
                      .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(shard)));
                  if (from != null) {
                    q.exclusiveStartKey(from);
                  }
                });
        List<WriteRequest> batch = new ArrayList<>();
        for (var item : page.items()) {
          var key = Map.of("pk", item.get("pk"), "sk", item.get("sk"));
          batch.add(WriteRequest.builder().deleteRequest(d -> d.key(key)).build());
          if (batch.size() == 25) {
            deleted += write(batch);
            batch = new ArrayList<>();
          }
        }
        deleted += write(batch);
        start =
            page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? page.lastEvaluatedKey()
                : null;
      } while (start != null);
    }
    return deleted;
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
