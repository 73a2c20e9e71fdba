package dev.xerosync.store;

import dev.xerosync.xero.XeroCredit;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Lists and totals the credit notes stored before {@link CreditNoteIndex} existed, once per
 * deployment: a {@link ResumableScan} of the table for credit items without the totalled mark, its
 * progress at {@code CREDITNOTES}/{@code BACKFILL}. Each credit note gets what {@link
 * CreditStore#upsert} gives a new one (its index keys, the mark, and its contribution added to its
 * contact's totals) in one transaction with its put conditioned on the {@code rev} it read, which
 * the put moves on. So a sync write that read the item before this put fails its own condition and
 * retries against the totalled item, and one that wrote after the Scan read it makes this put fail:
 * nothing counts twice. A failed put reads the item again and goes on while it is still unmarked
 * (an allocation remembered meanwhile moves {@code rev} without marking it).
 */
public final class CreditNoteBackfill implements Backfill {
  private static final String PK = "CREDITNOTES";
  private static final String SK = "BACKFILL";
  private static final int MAX_ATTEMPTS = 8;

  private final DynamoDbClient dynamo;
  private final String table;
  private final ResumableScan scan;

  public CreditNoteBackfill(DynamoDbClient dynamo, String table, Clock clock) {
    this(dynamo, table, clock, SK, null);
  }

  /** With its own progress item and Scan Limit: a test's backfill beside others on one table. */
  CreditNoteBackfill(
      DynamoDbClient dynamo,
      String table,
      Clock clock,
      String marker,
      @Nullable Integer pageItems) {
    this.dynamo = dynamo;
    this.table = table;
    this.scan = new ResumableScan(dynamo, table, PK, marker, clock, pageItems);
  }

  @Override
  public Progress run(int pages) {
    return scan.run(
        pages,
        s ->
            s.filterExpression(
                    "sk = :credit AND #kind = :creditNote AND attribute_not_exists("
                        + CreditNoteIndex.TOTALLED
                        + ")")
                .expressionAttributeNames(Map.of("#kind", "kind"))
                .expressionAttributeValues(
                    Map.of(
                        ":credit", ItemCodec.s(Keys.CREDIT_SK),
                        ":creditNote", ItemCodec.s("CREDIT_NOTE"))),
        this::list);
  }

  @Override
  public String what() {
    return "credit notes listed and totalled";
  }

  /** Keys and totals the credit note unless it is already totalled or not listed; true if so. */
  private boolean list(Map<String, AttributeValue> scanned) {
    String tenantId = ItemCodec.requiredStr(scanned, "tenantId");
    @Nullable Map<String, AttributeValue> item = scanned;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (item == null || item.containsKey(CreditNoteIndex.TOTALLED)) {
        return false;
      }
      XeroCredit credit = CreditStore.credit(item);
      if (!CreditNoteIndex.listed(credit)) {
        return false;
      }
      Map<String, AttributeValue> keyed = new HashMap<>(item);
      CreditNoteIndex.putKeys(keyed, tenantId, credit);
      long rev = Long.parseLong(ItemCodec.attr(item, "rev").n());
      keyed.put("rev", AttributeValue.fromN(Long.toString(rev + 1)));
      AttributeValue seen = item.get("rev");
      List<TransactWriteItem> writes = new ArrayList<>();
      writes.add(TenantFence.check(table, tenantId));
      writes.add(
          TransactWriteItem.builder()
              .put(
                  p ->
                      p.tableName(table)
                          .item(TenantItems.stamp(tenantId, keyed))
                          .conditionExpression("rev = :rev")
                          .expressionAttributeValues(Map.of(":rev", seen)))
              .build());
      // Stored unmarked, it counts as nothing: the totals gain its whole contribution.
      writes.addAll(CreditNoteIndex.totalsUpdates(table, tenantId, item, credit, credit));
      try {
        dynamo.transactWriteItems(r -> r.transactItems(writes));
        return true;
      } catch (TransactionCanceledException e) {
        if (TenantFence.tripped(e, tenantId, "credit " + credit.creditId())) {
          return false;
        }
        // Written since it was read, or a conflicting transaction: read it again.
        var again =
            dynamo.getItem(g -> g.tableName(table).consistentRead(true).key(Keys.keyOf(scanned)));
        item = again.hasItem() && !again.item().isEmpty() ? again.item() : null;
      }
    }
    throw new IllegalStateException(
        "credit "
            + ItemCodec.str(scanned, "creditId")
            + " kept changing under "
            + MAX_ATTEMPTS
            + " attempts");
  }
}
