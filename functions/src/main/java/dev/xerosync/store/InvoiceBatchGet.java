package dev.xerosync.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** A tenant's invoice items by id, 100 keys per BatchGetItem, unprocessed keys retried. */
final class InvoiceBatchGet {
  private static final int MAX_KEYS = 100;
  private static final int ATTEMPTS = 5;

  private InvoiceBatchGet() {}

  /** The stored items by invoice id; ids without an invoice are absent. */
  static Map<String, Map<String, AttributeValue>> items(
      DynamoDbClient dynamo,
      String table,
      String tenantId,
      Collection<String> invoiceIds,
      boolean consistent) {
    return items(dynamo, table, tenantId, invoiceIds, consistent, null);
  }

  /** The same, each item holding only {@code projection}'s attributes (all when null). */
  static Map<String, Map<String, AttributeValue>> items(
      DynamoDbClient dynamo,
      String table,
      String tenantId,
      Collection<String> invoiceIds,
      boolean consistent,
      @Nullable String projection) {
    Map<String, Map<String, AttributeValue>> found = new HashMap<>();
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(invoiceIds));
    for (int from = 0; from < ids.size(); from += MAX_KEYS) {
      List<Map<String, AttributeValue>> keys = new ArrayList<>();
      for (String id : ids.subList(from, Math.min(ids.size(), from + MAX_KEYS))) {
        keys.add(Keys.key(Keys.invoicePk(tenantId, id), Keys.INVOICE_SK));
      }
      Map<String, KeysAndAttributes> pending =
          Map.of(
              table,
              KeysAndAttributes.builder()
                  .keys(keys)
                  .consistentRead(consistent)
                  .projectionExpression(projection)
                  .build());
      for (int attempt = 0; !pending.isEmpty(); attempt++) {
        if (attempt == ATTEMPTS) {
          throw new IllegalStateException(
              "DynamoDB left keys unprocessed after " + ATTEMPTS + " attempts");
        }
        if (attempt > 0) {
          pause(25L << attempt);
        }
        Map<String, KeysAndAttributes> request = pending;
        var response = dynamo.batchGetItem(r -> r.requestItems(request));
        response
            .responses()
            .getOrDefault(table, List.of())
            .forEach(item -> found.put(ItemCodec.str(item, "invoiceId"), item));
        pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
      }
    }
    return found;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading invoices");
    }
  }
}
