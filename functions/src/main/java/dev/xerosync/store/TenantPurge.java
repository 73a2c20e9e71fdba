package dev.xerosync.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
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
   * Deletes the organisation's synced items (invoices, contacts, totals, organisation facts). Their
   * keys spread over one partition per invoice and contact, so finding them takes a filtered Scan:
   * costly, but only on this rare, explicit request. The connection item stays, to show the
   * Disconnected state.
   */
  public int purge(String tenantId) {
    String prefix = Keys.tenantPk(tenantId) + "#";
    int deleted = 0;
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page =
          dynamo.scan(
              s -> {
                s.tableName(table)
                    .projectionExpression("pk, sk")
                    .filterExpression("begins_with(pk, :p) OR (pk = :t AND sk = :org)")
                    .expressionAttributeValues(
                        Map.of(
                            ":p",
                            AttributeValue.fromS(prefix),
                            ":t",
                            AttributeValue.fromS(Keys.tenantPk(tenantId)),
                            ":org",
                            AttributeValue.fromS(Keys.ORGANISATION_SK)));
                if (from != null) {
                  s.exclusiveStartKey(from);
                }
              });
      List<WriteRequest> batch = new ArrayList<>();
      for (var item : page.items()) {
        batch.add(WriteRequest.builder().deleteRequest(d -> d.key(item)).build());
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
