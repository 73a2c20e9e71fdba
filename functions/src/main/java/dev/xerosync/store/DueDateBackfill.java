package dev.xerosync.store;

import dev.xerosync.xero.XeroInvoice;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Gives the unpaid invoices written before {@link Keys#BY_OVERDUE_AT} existed their index keys
 * ({@link DueDateIndex}), once per deployment: a {@link ResumableScan} of the table for unpaid
 * invoice items without them, its progress at {@code DUEDATES}/{@code BACKFILL}. An invoice written
 * meanwhile already has its keys (every write computes them); the update is conditioned on the
 * version it read, so it never overwrites a newer one.
 */
public final class DueDateBackfill implements Backfill {
  private static final String PK = "DUEDATES";
  private static final String SK = "BACKFILL";

  private final DynamoDbClient dynamo;
  private final String table;
  private final Organisations organisations;
  private final ResumableScan scan;

  public DueDateBackfill(DynamoDbClient dynamo, String table, Clock clock) {
    this(dynamo, table, clock, SK);
  }

  /** With its own progress item: a test's backfill beside others on one table. */
  public DueDateBackfill(DynamoDbClient dynamo, String table, Clock clock, String marker) {
    this.dynamo = dynamo;
    this.table = table;
    this.organisations = new Organisations(dynamo, table, clock);
    this.scan = new ResumableScan(dynamo, table, PK, marker, clock, null);
  }

  @Override
  public Progress run(int pages) {
    return scan.run(
        pages,
        s ->
            s.filterExpression(
                    "sk = :invoice AND attribute_not_exists("
                        + DueDateIndex.PK
                        + ") AND #status = :authorised AND amountDue > :zero"
                        + " AND attribute_exists(dueDate)")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(
                    Map.of(
                        ":invoice", ItemCodec.s(Keys.INVOICE_SK),
                        ":authorised", ItemCodec.s("AUTHORISED"),
                        ":zero", AttributeValue.fromN("0"))),
        this::key);
  }

  @Override
  public String what() {
    return "invoices given their due-date keys";
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
