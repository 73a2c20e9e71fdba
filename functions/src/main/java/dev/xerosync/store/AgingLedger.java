package dev.xerosync.store;

import dev.xerosync.xero.XeroInvoice;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * A tenant's unpaid amounts by due date: {@code pk = T#{tenant}#AGING, sk =
 * {type}#{currency}#{dueDate}} with {@code unpaidCount} and {@code unpaidAmount}. A tenant's aging
 * is then one Query of one partition whose size is the number of distinct due dates, not of
 * invoices; the bands are cut at read time because "today" moves without a write.
 *
 * <p>The writer keeps it exact the way it keeps contact totals: {@link #updates} gives the ADDs for
 * the difference between the old and the new invoice, to go into the same conditional transaction.
 */
public final class AgingLedger {
  private static final String NO_DUE_DATE = "9999-12-31";

  private final DynamoDbClient dynamo;
  private final String table;

  public AgingLedger(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  private record Entry(long count, BigDecimal amount) {
    Entry plus(Entry o) {
      return new Entry(count + o.count, amount.add(o.amount));
    }
  }

  /**
   * The ledger updates for replacing {@code old} (null if new) by {@code incoming}; empty when
   * aging is unchanged.
   */
  public static List<TransactWriteItem> updates(
      String table, String tenantId, @Nullable XeroInvoice old, XeroInvoice incoming) {
    var deltas = new Deltas();
    deltas.add(old, incoming);
    return deltas.updates(table, tenantId);
  }

  /** Aging changes summed over several invoices, so a batch moves each bucket once. */
  public static final class Deltas {
    private final Map<String, Entry> bySk = new LinkedHashMap<>();

    public void add(@Nullable XeroInvoice old, XeroInvoice incoming) {
      if (old != null && InvoiceBucket.of(old) == InvoiceBucket.UNPAID) {
        bySk.merge(sk(old), new Entry(-1, old.amountDue().negate()), Entry::plus);
      }
      if (InvoiceBucket.of(incoming) == InvoiceBucket.UNPAID) {
        bySk.merge(sk(incoming), new Entry(1, incoming.amountDue()), Entry::plus);
      }
    }

    public List<TransactWriteItem> updates(String table, String tenantId) {
      List<TransactWriteItem> writes = new ArrayList<>();
      bySk.forEach(
          (sk, d) -> {
            if (d.count() != 0 || d.amount().signum() != 0) {
              writes.add(
                  TransactWriteItem.builder()
                      .update(
                          u ->
                              u.tableName(table)
                                  .key(Keys.key(Keys.agingPk(tenantId), sk))
                                  .updateExpression(
                                      TenantItems.set("ADD unpaidCount :c, unpaidAmount :a"))
                                  .expressionAttributeValues(
                                      TenantItems.values(
                                          tenantId,
                                          Keys.agingPk(tenantId),
                                          Map.of(
                                              ":c", AttributeValue.fromN(Long.toString(d.count())),
                                              ":a", ItemCodec.n(d.amount())))))
                      .build());
            }
          });
      return writes;
    }
  }

  private static String sk(XeroInvoice inv) {
    return Keys.agingSk(
        inv.type() == null ? "UNKNOWN" : inv.type(),
        inv.currencyCode() == null ? "XXX" : inv.currencyCode(),
        inv.dueDate() == null ? NO_DUE_DATE : inv.dueDate().toString());
  }

  /** The tenant's aging for one invoice type (null: every type) as of {@code today}. */
  public AgingSummary read(String tenantId, @Nullable String type, LocalDate today) {
    AgingSummary summary = new AgingSummary(today);
    Pages.forEachItem(
        dynamo,
        q -> {
          q.tableName(table);
          if (type == null) {
            q.keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", ItemCodec.s(Keys.agingPk(tenantId))));
          } else {
            q.keyConditionExpression("pk = :pk AND begins_with(sk, :type)")
                .expressionAttributeValues(
                    Map.of(
                        ":pk",
                        ItemCodec.s(Keys.agingPk(tenantId)),
                        ":type",
                        ItemCodec.s(type + "#")));
          }
        },
        item -> {
          String[] parts = ItemCodec.requiredStr(item, Keys.SK).split("#", 3);
          LocalDate due = NO_DUE_DATE.equals(parts[2]) ? null : LocalDate.parse(parts[2]);
          summary.add(
              parts[1],
              due,
              ItemCodec.dec(item, "unpaidCount").longValue(),
              ItemCodec.dec(item, "unpaidAmount"));
        });
    return summary;
  }
}
