package dev.xerosync.store;

import dev.xerosync.xero.XeroInvoice;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Gives the unpaid invoices written before {@link Keys#BY_OVERDUE_AT} existed their index keys
 * ({@link DueDateIndex}), once per deployment: a Scan of the table for unpaid invoice items without
 * them, a few pages per call, its position kept in one item so the next call resumes there. When
 * the Scan ends, the item says so, and each later call costs that one read. An invoice written
 * meanwhile already has its keys (every write computes them); the update is conditioned on the
 * version it read, so it never overwrites a newer one.
 */
public final class DueDateBackfill {
  private static final String PK = "DUEDATES";
  private static final String SK = "BACKFILL";

  private final DynamoDbClient dynamo;
  private final String table;
  private final Organisations organisations;
  private final Clock clock;
  private final String marker;

  public DueDateBackfill(DynamoDbClient dynamo, String table, Clock clock) {
    this(dynamo, table, clock, SK);
  }

  /** With its own progress item: a test's backfill beside others on one table. */
  public DueDateBackfill(DynamoDbClient dynamo, String table, Clock clock, String marker) {
    this.dynamo = dynamo;
    this.table = table;
    this.organisations = new Organisations(dynamo, table, clock);
    this.clock = clock;
    this.marker = marker;
  }

  /** Invoices given their keys by one call, and whether the whole table is done. */
  public record Progress(int keyed, boolean done) {}

  /** Scans up to {@code pages} pages (each at most 1 MB) from where the last call stopped. */
  public Progress run(int pages) {
    var stored =
        dynamo.getItem(g -> g.tableName(table).consistentRead(true).key(Keys.key(PK, marker)));
    Map<String, AttributeValue> state = stored.hasItem() ? stored.item() : Map.of();
    if (state.containsKey("done")) {
      return new Progress(0, true);
    }
    Map<String, AttributeValue> start = state.containsKey("next") ? state.get("next").m() : null;
    int keyed = 0;
    for (int page = 0; page < pages; page++) {
      Map<String, AttributeValue> from = start;
      ScanResponse response =
          dynamo.scan(
              s -> {
                s.tableName(table)
                    .filterExpression(
                        "sk = :invoice AND attribute_not_exists("
                            + DueDateIndex.PK
                            + ") AND #status = :authorised AND amountDue > :zero"
                            + " AND attribute_exists(dueDate)")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(
                        Map.of(
                            ":invoice", ItemCodec.s(Keys.INVOICE_SK),
                            ":authorised", ItemCodec.s("AUTHORISED"),
                            ":zero", AttributeValue.fromN("0")));
                if (from != null) {
                  s.exclusiveStartKey(from);
                }
              });
      for (var item : response.items()) {
        if (key(item)) {
          keyed++;
        }
      }
      start =
          response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
              ? response.lastEvaluatedKey()
              : null;
      if (start == null) {
        break;
      }
    }
    Map<String, AttributeValue> progress = new HashMap<>();
    progress.put("at", ItemCodec.s(clock.instant().toString()));
    if (start == null) {
      progress.put("done", AttributeValue.fromBool(true));
    } else {
      progress.put("next", AttributeValue.fromM(start));
    }
    dynamo.putItem(p -> p.tableName(table).item(Keys.item(PK, marker, progress)));
    return new Progress(keyed, start == null);
  }

  /** Sets the item's index keys unless it changed since it was read; true when it did. */
  private boolean key(Map<String, AttributeValue> item) {
    String tenantId = ItemCodec.requiredStr(item, "tenantId");
    String invoiceId = ItemCodec.requiredStr(item, "invoiceId");
    XeroInvoice invoice = ItemCodec.invoice(item);
    if (invoice.dueDate() == null || InvoiceBucket.of(invoice) != InvoiceBucket.UNPAID) {
      return false;
    }
    Instant overdueAt =
        DueDateIndex.overdueAt(invoice.dueDate(), organisations.get(tenantId).timezone());
    try {
      dynamo.updateItem(
          u ->
              u.tableName(table)
                  .key(Keys.keyOf(item))
                  .updateExpression(
                      "SET " + DueDateIndex.PK + " = :pk, " + DueDateIndex.SK + " = :sk")
                  .conditionExpression(
                      "updatedMs = :seen AND attribute_not_exists(" + DueDateIndex.PK + ")")
                  .expressionAttributeValues(
                      Map.of(
                          ":pk",
                          ItemCodec.s(DueDateIndex.partition(overdueAt, invoiceId)),
                          ":sk",
                          ItemCodec.s(DueDateIndex.sortKey(overdueAt, tenantId, invoiceId)),
                          ":seen",
                          ItemCodec.attr(item, "updatedMs"))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false; // Written again since the Scan read it, with its keys.
    }
  }
}
